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

/// Every request of a `ModelClient` goes through one `URLSession` with this delegate
/// (`bytes(for:)` is missing on Linux, and completion-handler tasks never ask the delegate about
/// redirects). It enforces `BodyLimits` and `CrossOriginRedirect`. Ending or cancelling the
/// consuming loop cancels the request.
final class StreamingSession: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Transfer {
        var continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation
        var status = 0
        var received = 0
    }

    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]
    private let limits: BodyLimits
    private let configuration: URLSessionConfiguration
    private lazy var session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)

    init(configuration: URLSessionConfiguration = .ephemeral, limits: BodyLimits = BodyLimits()) {
        self.configuration = configuration
        self.limits = limits
    }

    func stream(_ request: URLRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream<HTTPStreamPart, any Error>.makeStream()
        let task = session.dataTask(with: request)
        lock.lock()
        transfers[task.taskIdentifier] = Transfer(continuation: continuation)
        lock.unlock()
        continuation.onTermination = { _ in task.cancel() }
        task.resume()
        return stream
    }

    private func withTransfer<T>(_ task: URLSessionTask, _ body: (inout Transfer) -> T) -> T? {
        lock.lock()
        defer { lock.unlock() }
        guard var transfer = transfers[task.taskIdentifier] else { return nil }
        let result = body(&transfer)
        transfers[task.taskIdentifier] = transfer
        return result
    }

    /// Forgets a transfer so that its cancellation, reported later, is not passed on.
    private func end(_ task: URLSessionTask) -> AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation? {
        lock.lock()
        defer { lock.unlock() }
        return transfers.removeValue(forKey: task.taskIdentifier)?.continuation
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
            }
            let continuation = withTransfer(dataTask) { transfer in
                transfer.status = http.statusCode
                return transfer.continuation
            }
            continuation?.yield(.head(status: http.statusCode, headers: headers))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let (continuation, status, before) = withTransfer(dataTask, { transfer in
            defer { transfer.received += data.count }
            return (transfer.continuation, transfer.status, transfer.received)
        }) else { return }
        let after = before + data.count
        if (200..<300).contains(status) {
            guard after > limits.success else {
                continuation.yield(.body(data))
                return
            }
            end(dataTask)?.finish(throwing: LMError.replyTooLarge(limit: limits.success))
            dataTask.cancel()
        } else {
            if before < limits.error { continuation.yield(.body(data.prefix(limits.error - before))) }
            if after >= limits.error {
                end(dataTask)?.finish()
                dataTask.cancel()
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(CrossOriginRedirect.request(request, from: task.originalRequest?.url ?? response.url))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let continuation = end(task)
        if let error {
            let mapped: LMError = switch (error as? URLError)?.code {
            case .cancelled?: .cancelled
            case .timedOut?: .timeout(task.originalRequest?.timeoutInterval ?? 0)
            default: .transport((error as? URLError)?.localizedDescription ?? "\(error)")
            }
            continuation?.finish(throwing: mapped)
        } else {
            continuation?.finish()
        }
    }
}
