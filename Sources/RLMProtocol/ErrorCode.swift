/// JSON-RPC error codes: an open set, the standard ones plus LSP's and rlmd's own.
public struct ErrorCode: RawRepresentable, Sendable, Hashable, Codable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let parseError = ErrorCode(rawValue: -32700)
    public static let invalidRequest = ErrorCode(rawValue: -32600)
    public static let methodNotFound = ErrorCode(rawValue: -32601)
    public static let invalidParams = ErrorCode(rawValue: -32602)
    public static let internalError = ErrorCode(rawValue: -32603)
    /// LSP: a request other than `initialize` before `initialize`.
    public static let serverNotInitialized = ErrorCode(rawValue: -32002)
    /// LSP: the request was cancelled (`$/cancelRequest`, `window/workDoneProgress/cancel`).
    public static let requestCancelled = ErrorCode(rawValue: -32800)

    // rlmd's own, -32900 and below.
    public static let providerNotConfigured = ErrorCode(rawValue: -32900)
    public static let budgetExhausted = ErrorCode(rawValue: -32901)
    public static let indexUnavailable = ErrorCode(rawValue: -32902)
    public static let sandboxUnavailable = ErrorCode(rawValue: -32903)
    public static let providerFailed = ErrorCode(rawValue: -32904)
    public static let unknownTrajectory = ErrorCode(rawValue: -32905)
    /// A question of the conversation is still running; follow-ups take turns.
    public static let conversationBusy = ErrorCode(rawValue: -32906)
}

/// The `error` member of a response.
public struct ResponseError: Error, Sendable, Equatable, Codable {
    public var code: ErrorCode
    public var message: String
    public var data: JSONValue?

    public init(_ code: ErrorCode, _ message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }
}
