import Foundation

/// Which provider and model a call goes to.
///
/// Precedence: flags, then `RLMD_BASE_URL` / `RLMD_MODEL` / `RLMD_SUB_MODEL`, then the config file's `provider` and
/// `model`, then whichever key is set (`ANTHROPIC_API_KEY`, then `OPENAI_API_KEY`).
public struct ProviderConfiguration: Sendable, Equatable {
    /// `local` is the llama.cpp server rlmd starts itself (see `LocalModel`).
    public enum Kind: String, Sendable, CaseIterable { case openai, anthropic, local }

    public var name: String
    public var kind: Kind
    public var baseURL: URL
    public var apiKey: String?
    public var model: String
    /// The model for sub-calls (`llm_query`): `RLMD_SUB_MODEL`, the file's `sub_model`, else `model`.
    public var subModel: String
    public var maxConcurrent: Int?
    public var timeout: Double?

    public static let defaultModels: [Kind: String] = [
        .openai: "gpt-5-mini", .anthropic: "claude-sonnet-4-5", .local: LocalModel.defaultModelName,
    ]
    static let keyVariables: [Kind: String] = [.openai: "OPENAI_API_KEY", .anthropic: "ANTHROPIC_API_KEY"]

    /// `provider` is a name from the config file or a kind (`openai`, `anthropic`).
    public static func resolve(provider explicitProvider: String? = nil, baseURL explicitURL: String? = nil,
                               model explicitModel: String? = nil,
                               environment allVariables: [String: String] = ProcessInfo.processInfo.environment,
                               file: ConfigFile = ConfigFile()) throws(LMError) -> ProviderConfiguration {
        // An empty variable counts as unset.
        let environment = allVariables.filter { !$0.value.isEmpty }
        let urlOverride = explicitURL ?? environment["RLMD_BASE_URL"]
        let name: String
        if let explicitProvider {
            name = explicitProvider
        } else if urlOverride != nil {
            name = Kind.openai.rawValue
        } else if let configured = file.provider {
            name = configured
        } else if environment["ANTHROPIC_API_KEY"] != nil {
            name = Kind.anthropic.rawValue
        } else if environment["OPENAI_API_KEY"] != nil {
            name = Kind.openai.rawValue
        } else {
            throw .notConfigured("""
                set OPENAI_API_KEY or ANTHROPIC_API_KEY, point RLMD_BASE_URL at an OpenAI-compatible server \
                (llama.cpp, vLLM, Ollama: e.g. http://127.0.0.1:8080/v1), or name a provider in ~/.config/rlmd/config.toml
                """)
        }

        let entry = file.providers?[name]
        guard let kind = Kind(rawValue: entry?.kind ?? name) else {
            let known = (file.providers?.keys.sorted() ?? []) + Kind.allCases.map(\.rawValue)
            throw .notConfigured("unknown provider \(name) (known: \(known.joined(separator: ", ")))")
        }
        // The local server's address is only known once it runs; this one is a placeholder.
        let defaultURL = switch kind {
        case .anthropic: "https://api.anthropic.com"
        case .openai: "https://api.openai.com/v1"
        case .local: "http://127.0.0.1/v1"
        }
        let urlText = urlOverride ?? entry?.base_url ?? defaultURL
        guard let url = URL(string: urlText), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw .notConfigured("not an http(s) URL: \(urlText)")
        }
        let keyVariable = entry?.api_key_env ?? keyVariables[kind] ?? "OPENAI_API_KEY"
        let key = environment[keyVariable] ?? entry?.api_key
        for other in (file.providers ?? [:]).values { SecretRedactor.register(other.api_key) }
        SecretRedactor.register(key)
        let needsKey = kind == .anthropic || (kind == .openai && urlText == defaultURL)
        if needsKey && (key ?? "").isEmpty { throw .notConfigured("\(keyVariable) is not set") }
        let model = explicitModel ?? environment["RLMD_MODEL"] ?? file.model ?? defaultModels[kind] ?? "gpt-5-mini"
        let subModel = environment["RLMD_SUB_MODEL"] ?? file.sub_model ?? model
        return ProviderConfiguration(name: name, kind: kind, baseURL: url, apiKey: key, model: model, subModel: subModel,
                                     maxConcurrent: entry?.max_concurrent, timeout: entry?.timeout)
    }

    /// The wire format; for `local`, pass the started server's address.
    public func api(localServer: LocalModelServer? = nil) -> any ProviderAPI {
        switch kind {
        case .openai: OpenAICompatibleAPI(name: name, baseURL: baseURL, apiKey: apiKey)
        case .anthropic: AnthropicAPI(baseURL: baseURL, apiKey: apiKey ?? "")
        case .local: OpenAICompatibleAPI(name: name, baseURL: localServer?.baseURL ?? baseURL, apiKey: nil)
        }
    }

    /// Starts the local server when this configuration needs one.
    public func startLocalServerIfNeeded() throws(LMError) -> LocalModelServer? {
        kind == .local ? try LocalModelServer() : nil
    }
}
