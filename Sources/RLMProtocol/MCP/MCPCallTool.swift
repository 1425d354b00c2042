extension MCP {
    /// `tools/call`: a tool's answer as text. A tool that failed says so in `isError` (a result the
    /// client's model reads), not as a JSON-RPC error.
    public enum CallTool {
        public static let method = "tools/call"

        public struct Result: Codable, Sendable, Equatable {
            public var content: [Content]
            public var isError: Bool
            public init(text: String, isError: Bool = false) {
                content = [Content(text: text)]
                self.isError = isError
            }
        }
    }

    /// A piece of a tool's result; rlmd's tools answer with one piece of text.
    public struct Content: Codable, Sendable, Equatable {
        public var type = "text"
        public var text: String
        public init(text: String) { self.text = text }
    }
}
