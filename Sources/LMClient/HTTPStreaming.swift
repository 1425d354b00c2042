import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A streamed HTTP reply: its status and headers first, then body bytes as they arrive.
public enum HTTPStreamPart: Sendable {
    case head(status: Int, headers: [String: String])
    case body(Data)
}

/// How much of a reply's body is read: a success body past `success` bytes fails with
/// `LMError.replyTooLarge`; an error body is cut to its first `error` bytes (enough for any
/// provider's message). Either way the transfer is cancelled at once, so memory stays bounded.
public struct BodyLimits: Sendable, Equatable {
    public var success: Int
    public var error: Int

    public init(success: Int = 32 << 20, error: Int = 64 << 10) {
        self.success = success
        self.error = error
    }
}
