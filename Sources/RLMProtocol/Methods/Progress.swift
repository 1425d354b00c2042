/// `$/progress` (server to client) for a request that carried a `workDoneToken`.
public enum Progress: NotificationMethod {
    public static let method = "$/progress"
    public struct Params: Codable, Sendable, Equatable {
        public var token: ProgressToken
        public var value: WorkDone
        public init(token: ProgressToken, value: WorkDone) {
            self.token = token
            self.value = value
        }
    }

    /// LSP's work-done progress: `begin`, then `report`s, then `end`.
    public struct WorkDone: Codable, Sendable, Equatable {
        public var kind: String
        public var title: String?
        public var message: String?
        public var cancellable: Bool?
        public init(kind: String, title: String? = nil, message: String? = nil, cancellable: Bool? = nil) {
            self.kind = kind
            self.title = title
            self.message = message
            self.cancellable = cancellable
        }
    }
}

/// `window/workDoneProgress/cancel`: the user cancelled the work behind `token`.
public enum WorkDoneProgressCancel: NotificationMethod {
    public static let method = "window/workDoneProgress/cancel"
    public struct Params: Codable, Sendable, Equatable {
        public var token: ProgressToken
        public init(token: ProgressToken) { self.token = token }
    }
}
