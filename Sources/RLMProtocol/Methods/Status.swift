/// `rlm/status`: the index, the running jobs and what was spent; answered while asks run.
public enum Status: RequestMethod {
    public static let method = "rlm/status"
    public typealias Params = JSONValue

    public struct Result: Codable, Sendable, Equatable {
        public var root: String?
        /// `none` (before initialize), `building`, `ready` or `failed`.
        public var index: String
        public var indexError: String?
        public var files: Int?
        public var jobs: [Job]
        public var spend: Spend
        public var sandbox: String
        /// The daemon's process id (for a plugin that reports or stops it).
        public var pid: Int
        public init(root: String?, index: String, indexError: String?, files: Int?, jobs: [Job], spend: Spend, sandbox: String, pid: Int) {
            self.root = root
            self.index = index
            self.indexError = indexError
            self.files = files
            self.jobs = jobs
            self.spend = spend
            self.sandbox = sandbox
            self.pid = pid
        }
    }

    public struct Job: Codable, Sendable, Equatable {
        public var id: RequestID
        public var method: String
        public var question: String?
        public var seconds: Double
        public var turn: Int
        public init(id: RequestID, method: String, question: String?, seconds: Double, turn: Int) {
            self.id = id
            self.method = method
            self.question = question
            self.seconds = seconds
            self.turn = turn
        }
    }

    public struct Spend: Codable, Sendable, Equatable {
        public var costUsd: Double
        public var calls: Int
        public var input: Int
        public var output: Int
        public init(costUsd: Double, calls: Int, input: Int, output: Int) {
            self.costUsd = costUsd
            self.calls = calls
            self.input = input
            self.output = output
        }
    }
}
