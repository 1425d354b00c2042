import ContextStore
import Foundation
import LMClient

/// The models of a question from flags (or `initializationOptions`) over the environment and the
/// config file, exactly as `rlmd ask` resolves them. With nothing configured and the offline model
/// installed, that model is used and `usedOfflineModel` says so.
public struct ModelSetup: Sendable {
    public var provider: String?
    public var baseURL: String?
    public var model: String?
    public var subModel: String?

    public init(provider: String? = nil, baseURL: String? = nil, model: String? = nil, subModel: String? = nil) {
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.subModel = subModel
    }

    public struct Resolved: Sendable {
        public var models: RLMModels
        /// Keep it alive while the models are used: it is the llama.cpp server of the offline model.
        public var localServer: LocalModelServer?
        public var usedOfflineModel: Bool
        /// The config file's `[sandbox]`, for the options a flag did not set.
        public var sandbox: ConfigFile.Sandbox?

        /// `options` with the config file's sandbox settings where they are unset.
        public func applied(to options: RLMOptions) -> RLMOptions {
            var options = options
            if options.repl.limits.treeMemoryBytes == nil, let megabytes = sandbox?.memory_mb {
                options.repl.limits.treeMemoryBytes = megabytes << 20
            }
            if sandbox?.exact_text == true { options.repl.exactText = true }
            return options
        }
    }

    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(LMError) -> Resolved {
        let file = try ConfigFile.load(environment: environment)
        var configuration: ProviderConfiguration
        var offline = false
        do {
            configuration = try ProviderConfiguration.resolve(provider: provider, baseURL: baseURL, model: model,
                                                              environment: environment, file: file)
        } catch {
            guard case .notConfigured = error, provider == nil, baseURL == nil, LocalModel.isInstalled(environment) else { throw error }
            configuration = try ProviderConfiguration.resolve(provider: "local", model: model, environment: environment, file: file)
            offline = true
        }
        let server = try configuration.startLocalServerIfNeeded()
        let cache = try? SQLiteResponseCache(path: StoreLocation.cacheRoot(environment: environment) + "/responses.sqlite")
        let client = ModelClient(api: configuration.api(localServer: server), timeout: configuration.timeout ?? 300,
                                 maxConcurrent: configuration.maxConcurrent ?? 16, prices: file.priceTable, cache: cache)
        var byDepth: [Int: ModelChoice] = [:]
        for (key, depth) in file.depth ?? [:] {
            if let level = Int(key), let name = depth.model { byDepth[level] = ModelChoice(client: client, name: name) }
        }
        let models = RLMModels(root: ModelChoice(client: client, name: configuration.model),
                               sub: ModelChoice(client: client, name: subModel ?? configuration.subModel), byDepth: byDepth)
        return Resolved(models: models, localServer: server, usedOfflineModel: offline, sandbox: file.sandbox)
    }
}
