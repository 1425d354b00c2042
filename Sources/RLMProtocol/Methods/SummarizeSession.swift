/// `rlm/summarizeSession`: summarize an AI-coding session (a file, or the newest of a tool).
public enum SummarizeSession: RequestMethod {
    public static let method = "rlm/summarizeSession"

    public struct Params: Codable, Sendable, Equatable {
        /// A session file; or leave it out and name `tool`.
        public var file: String?
        /// `claude` or `codex`: the workspace's newest session of that tool.
        public var tool: String?
        public var workDoneToken: ProgressToken?
        public init(file: String? = nil, tool: String? = nil, workDoneToken: ProgressToken? = nil) {
            self.file = file
            self.tool = tool
            self.workDoneToken = workDoneToken
        }
    }

    public typealias Result = Answer
}
