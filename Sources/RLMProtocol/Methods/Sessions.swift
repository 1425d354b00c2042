/// `rlm/sessions`: the workspace's Claude Code, Codex and Aider sessions, newest first.
public enum Sessions: RequestMethod {
    public static let method = "rlm/sessions"
    public typealias Params = JSONValue
    public typealias Result = [Session]

    public struct Session: Codable, Sendable, Equatable {
        public var tool: String
        public var id: String
        public var path: String
        public var first: String?
        public var last: String?
        public var messages: Int
        /// The first user message, cut to a line: what the session was about.
        public var title: String?
        public var bytes: Int
        public init(tool: String, id: String, path: String, first: String?, last: String?, messages: Int, title: String?, bytes: Int) {
            self.tool = tool
            self.id = id
            self.path = path
            self.first = first
            self.last = last
            self.messages = messages
            self.title = title
            self.bytes = bytes
        }
    }
}
