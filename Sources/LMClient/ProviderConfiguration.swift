import Foundation

/// Which provider and model a call goes to, from explicit choices and the environment.
public struct ProviderConfiguration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case openai, anthropic }

    public var kind: Kind
    public var baseURL: URL
    public var apiKey: String?
    public var model: String

    public static let defaultModels: [Kind: String] = [.openai: "gpt-5-mini", .anthropic: "claude-sonnet-4-5"]

    /// Explicit values win; otherwise `RLMD_BASE_URL` (an OpenAI-compatible server), then
    /// `ANTHROPIC_API_KEY`, then `OPENAI_API_KEY`. `RLMD_MODEL` names the model.
    public static func resolve(kind explicitKind: Kind? = nil, baseURL explicitURL: String? = nil, model explicitModel: String? = nil,
                               environment allVariables: [String: String] = ProcessInfo.processInfo.environment) throws(LMError) -> ProviderConfiguration {
        // An empty variable counts as unset.
        let environment = allVariables.filter { !$0.value.isEmpty }
        let baseURLText = explicitURL ?? environment["RLMD_BASE_URL"]
        let kind: Kind
        if let explicitKind {
            kind = explicitKind
        } else if baseURLText != nil {
            kind = .openai
        } else if environment["ANTHROPIC_API_KEY"] != nil {
            kind = .anthropic
        } else if environment["OPENAI_API_KEY"] != nil {
            kind = .openai
        } else {
            throw .notConfigured("""
                set OPENAI_API_KEY or ANTHROPIC_API_KEY, or point RLMD_BASE_URL at an OpenAI-compatible \
                server (llama.cpp, vLLM, Ollama: e.g. http://127.0.0.1:8080/v1)
                """)
        }
        let defaultURL = kind == .anthropic ? "https://api.anthropic.com" : "https://api.openai.com/v1"
        guard let url = URL(string: baseURLText ?? defaultURL), url.scheme == "http" || url.scheme == "https" else {
            throw .notConfigured("not an http(s) URL: \(baseURLText ?? "")")
        }
        let key = kind == .anthropic ? environment["ANTHROPIC_API_KEY"] : environment["OPENAI_API_KEY"]
        if kind == .anthropic && (key ?? "").isEmpty { throw .notConfigured("ANTHROPIC_API_KEY is not set") }
        if kind == .openai && baseURLText == nil && (key ?? "").isEmpty { throw .notConfigured("OPENAI_API_KEY is not set") }
        let model = explicitModel ?? environment["RLMD_MODEL"] ?? defaultModels[kind] ?? "gpt-5-mini"
        return ProviderConfiguration(kind: kind, baseURL: url, apiKey: key, model: model)
    }

    public var api: any ProviderAPI {
        switch kind {
        case .openai: OpenAICompatibleAPI(baseURL: baseURL, apiKey: apiKey)
        case .anthropic: AnthropicAPI(baseURL: baseURL, apiKey: apiKey ?? "")
        }
    }
}
