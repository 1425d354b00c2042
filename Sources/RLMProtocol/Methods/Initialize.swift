/// `initialize`: the first request. The workspace comes from `workspaceFolders[0]`, `rootUri` or
/// `rootPath`; `initializationOptions` override provider, models and budgets for this workspace.
public enum Initialize: RequestMethod {
    public static let method = "initialize"

    public struct Params: Codable, Sendable, Equatable {
        public var processId: Int?
        public var rootUri: String?
        public var rootPath: String?
        public var workspaceFolders: [WorkspaceFolder]?
        public var initializationOptions: Options?
        public var capabilities: JSONValue?

        public init(rootUri: String? = nil, rootPath: String? = nil, workspaceFolders: [WorkspaceFolder]? = nil,
                    initializationOptions: Options? = nil) {
            self.rootUri = rootUri
            self.rootPath = rootPath
            self.workspaceFolders = workspaceFolders
            self.initializationOptions = initializationOptions
        }
    }

    public struct WorkspaceFolder: Codable, Sendable, Equatable {
        public var uri: String
        public var name: String?
        public init(uri: String, name: String? = nil) {
            self.uri = uri
            self.name = name
        }
    }

    public struct Options: Codable, Sendable, Equatable {
        public var provider: String?
        public var baseUrl: String?
        public var model: String?
        public var subModel: String?
        public var budgets: Budgets?
        public var sandbox: SandboxOptions?
        public init(provider: String? = nil, baseUrl: String? = nil, model: String? = nil, subModel: String? = nil,
                    budgets: Budgets? = nil, sandbox: SandboxOptions? = nil) {
            self.provider = provider
            self.baseUrl = baseUrl
            self.model = model
            self.subModel = subModel
            self.budgets = budgets
            self.sandbox = sandbox
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var capabilities: Capabilities
        public var serverInfo: ServerInfo
        public init(capabilities: Capabilities, serverInfo: ServerInfo) {
            self.capabilities = capabilities
            self.serverInfo = serverInfo
        }
    }

    public struct Capabilities: Codable, Sendable, Equatable {
        public var executeCommandProvider: ExecuteCommandOptions
        /// Save notifications refresh the index.
        public var textDocumentSync: TextDocumentSync
        /// The `rlm/*` requests this server answers.
        public var experimental: [String: [String]]
        public init(executeCommandProvider: ExecuteCommandOptions, textDocumentSync: TextDocumentSync, experimental: [String: [String]]) {
            self.executeCommandProvider = executeCommandProvider
            self.textDocumentSync = textDocumentSync
            self.experimental = experimental
        }
    }

    public struct ExecuteCommandOptions: Codable, Sendable, Equatable {
        public var commands: [String]
        public init(commands: [String]) { self.commands = commands }
    }

    public struct TextDocumentSync: Codable, Sendable, Equatable {
        public var openClose: Bool
        public var save: Bool
        public init(openClose: Bool, save: Bool) {
            self.openClose = openClose
            self.save = save
        }
    }

    public struct ServerInfo: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }
}

/// The REPL of this workspace's questions, over the config file's `[sandbox]`.
public struct SandboxOptions: Codable, Sendable, Equatable {
    /// `context` holds chars above U+FFFF as they are (a 4-byte str) instead of one U+FFFD each.
    public var exactText: Bool?
    /// Resident memory of the REPL's process tree in MiB; 0: not watched.
    public var memoryMb: Int?
    public init(exactText: Bool? = nil, memoryMb: Int? = nil) {
        self.exactText = exactText
        self.memoryMb = memoryMb
    }
}

/// Limits of one question, as `rlmd ask` takes them.
public struct Budgets: Codable, Sendable, Equatable {
    public var maxIterations: Int?
    public var maxCalls: Int?
    public var maxUsd: Double?
    public var maxTokens: Int?
    public var maxSeconds: Double?
    public var maxDepth: Int?
    public init(maxIterations: Int? = nil, maxCalls: Int? = nil, maxUsd: Double? = nil, maxTokens: Int? = nil,
                maxSeconds: Double? = nil, maxDepth: Int? = nil) {
        self.maxIterations = maxIterations
        self.maxCalls = maxCalls
        self.maxUsd = maxUsd
        self.maxTokens = maxTokens
        self.maxSeconds = maxSeconds
        self.maxDepth = maxDepth
    }
}
