import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with a provider.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
}

/// Sends requests through `CurlSession` (one libcurl multi handle for the process), so connections
/// to a provider are reused across calls and every reply is held to `BodyLimits`; cancelling the
/// calling `Task` cancels the request on the wire.
public final class HTTPTransport: Sendable {
    let limits: BodyLimits

    public init(limits: BodyLimits = BodyLimits()) {
        self.limits = limits
    }

    /// Sends `request`, giving up after `timeout` seconds for the whole exchange (the request's
    /// own `timeoutInterval` is an idle timeout).
    public func send(_ request: URLRequest, timeout: Double) async throws(LMError) -> HTTPResponse {
        try await Self.within(timeout) { () async throws(LMError) in try await self.send(request) }
    }

    public func send(_ request: URLRequest) async throws(LMError) -> HTTPResponse {
        var response = HTTPResponse(status: 0, headers: [:], body: Data())
        do {
            for try await part in stream(request) {
                switch part {
                case .head(let status, let headers):
                    response.status = status
                    response.headers = headers
                case .body(let data):
                    response.body.append(data)
                }
            }
        } catch {
            throw .from(error)
        }
        // The stream ends without an error when the calling task is cancelled.
        if Task.isCancelled { throw .cancelled }
        guard response.status != 0 else { throw .transport("the reply was not HTTP") }
        return response
    }

    /// Streams `request`: the head, then body parts as they arrive.
    func stream(_ request: URLRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        CurlSession.shared.stream(request, limits: limits)
    }

    /// Runs `work`, failing with `.timeout` once `seconds` have passed (the work is cancelled).
    static func within<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () async throws(LMError) -> T) async throws(LMError) -> T {
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else { throw LMError.timeout(seconds) }
                return result
            }
        } catch {
            throw .from(error)
        }
    }
}
