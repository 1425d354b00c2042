/// `window/showDocument` (server to client): after `workspace/executeCommand` answered a question,
/// for a client that declared `window.showDocument.support`, the answer as a Markdown file to open.
public enum ShowDocument: RequestMethod {
    public static let method = "window/showDocument"

    public struct Params: Codable, Sendable, Equatable {
        public var uri: String
        public var takeFocus: Bool?
        public init(uri: String, takeFocus: Bool? = nil) {
            self.uri = uri
            self.takeFocus = takeFocus
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var success: Bool
        public init(success: Bool) { self.success = success }
    }
}

/// `window/showMessage` (server to client): the head of an answer to `workspace/executeCommand`, for
/// clients that cannot be asked to show a document.
public enum ShowMessage: NotificationMethod {
    public static let method = "window/showMessage"

    public struct Params: Codable, Sendable, Equatable {
        /// LSP's MessageType: 1 error, 2 warning, 3 info, 4 log.
        public var type: Int
        public var message: String
        public init(type: Int, message: String) {
            self.type = type
            self.message = message
        }
    }
}
