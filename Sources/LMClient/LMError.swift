/// Why a model call failed. Messages carry the provider's own words and never a key.
public enum LMError: Error, Sendable, Equatable, CustomStringConvertible {
    case notConfigured(String)
    case authentication(String)
    case rateLimited(String, retryAfter: Double?)
    case contextTooLong(String)
    case server(status: Int, String)
    case transport(String)
    case timeout(Double)
    case malformedReply(String)
    /// The reply's body passed `limit` bytes; the transfer was cancelled.
    case replyTooLarge(limit: Int)
    case cancelled

    public var description: String {
        switch self {
        case .notConfigured(let message): "no model provider is configured: \(message)"
        case .authentication(let message): "the provider rejected the API key: \(message)"
        case .rateLimited(let message, _): "rate limited: \(message)"
        case .contextTooLong(let message): "context too long, split it: \(message)"
        case .server(let status, let message): "provider error \(status): \(message)"
        case .transport(let message): "could not reach the provider: \(message)"
        case .timeout(let seconds): "no reply within \(seconds) s"
        case .malformedReply(let message): "malformed reply from the provider: \(message)"
        case .replyTooLarge(let limit): "the provider's reply passed \(limit / (1 << 20)) MiB; the transfer was cancelled"
        case .cancelled: "cancelled"
        }
    }

    /// Worth another attempt: rate limits, overload, server errors, timeouts, dropped connections.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .timeout, .transport: true
        case .server(let status, _): status >= 500 || status == 408 || status == 409
        default: false
        }
    }
}

extension LMError {
    /// `error` as an `LMError`: itself when it is one, else cancelled (when the task is) or a
    /// transport failure (what the streams of a transfer end with).
    static func from(_ error: any Error) -> LMError {
        if let error = error as? LMError { return error }
        return Task.isCancelled ? .cancelled : .transport(String(describing: error))
    }
}
