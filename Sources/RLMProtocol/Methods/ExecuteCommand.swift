/// `workspace/executeCommand`, for clients that only speak standard LSP: `rlm.ask` (arguments: the
/// question as one or more strings, joined by spaces, as Helix and Sublime send unquoted words),
/// `rlm.summarizeSession` (`[file]` or `[]` for the newest Claude Code session), `rlm.reindex` (`[]`).
/// The result is the matching `rlm/*` result; answers are also shown (`window/showDocument` or
/// `window/showMessage`), since such clients display nothing of a command's result.
public enum ExecuteCommand: RequestMethod {
    public static let method = "workspace/executeCommand"
    public static let commands = ["rlm.ask", "rlm.summarizeSession", "rlm.reindex"]

    public struct Params: Codable, Sendable, Equatable {
        public var command: String
        public var arguments: [JSONValue]?
        public var workDoneToken: ProgressToken?
        public init(command: String, arguments: [JSONValue]? = nil, workDoneToken: ProgressToken? = nil) {
            self.command = command
            self.arguments = arguments
            self.workDoneToken = workDoneToken
        }
    }

    public typealias Result = JSONValue
}
