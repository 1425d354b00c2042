extension MCP {
    /// `notifications/progress` (server to client) for a request whose `_meta` carried a `progressToken`.
    public enum Progress: NotificationMethod {
        public static let method = "notifications/progress"

        public struct Params: Codable, Sendable, Equatable {
            /// The client's token as it sent it (MCP allows a string or a number).
            public var progressToken: JSONValue
            /// Grows with each report (rlmd counts model calls).
            public var progress: Int
            public var message: String
            public init(progressToken: JSONValue, progress: Int, message: String) {
                self.progressToken = progressToken
                self.progress = progress
                self.message = message
            }
        }
    }
}
