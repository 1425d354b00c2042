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

    /// LSP's work-done progress: `begin`, then `report`s, then `end`. Beside LSP's `message` (for
    /// clients that only show text), a question's reports and its end carry the same facts as fields,
    /// so plugins never parse the text.
    public struct WorkDone: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case begin, report, end }

        public var kind: Kind
        public var title: String?
        public var message: String?
        public var cancellable: Bool?
        /// 0-100, where the work's size is known (index builds).
        public var percentage: Int?
        // `report` of a question: its current turn and totals so far.
        public var turn: Int?
        public var subCalls: Int?
        public var tokens: Int?
        public var costUsd: Double?
        // `end` of a question: the trajectory (also of a cancelled one), the conversation to follow up in,
        // and why it stopped early (`cancelled`, `budget` or `error`) when it did.
        public var trajectory: String?
        public var conversation: String?
        public var partial: Bool?
        public var reason: EndReason?

        public init(kind: Kind, title: String? = nil, message: String? = nil, cancellable: Bool? = nil) {
            self.kind = kind
            self.title = title
            self.message = message
            self.cancellable = cancellable
        }
    }

    /// Why a question ended without a complete answer.
    public enum EndReason: String, Codable, Sendable {
        /// `$/cancelRequest` or `window/workDoneProgress/cancel`; the partial trajectory is kept.
        case cancelled
        /// A budget (turns, calls, tokens, USD, wall time) ran out: the answer is partial.
        case budget
        /// The provider, the sandbox or the index failed, or errors piled up.
        case error
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
