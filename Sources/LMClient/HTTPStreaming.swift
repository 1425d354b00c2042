import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A streamed HTTP reply: its status and headers first, then body bytes as they arrive.
public enum HTTPStreamPart: Sendable {
    case head(status: Int, headers: [String: String])
    case body(Data)
}

/// Streams replies through a `URLSessionDataDelegate` (`bytes(for:)` is missing on Linux).
/// Ending or cancelling the consuming loop cancels the request.
final class StreamingSession: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [Int: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation] = [:]
    private lazy var session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)

    func stream(_ request: URLRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream<HTTPStreamPart, any Error>.makeStream()
        let task = session.dataTask(with: request)
        lock.lock()
        streams[task.taskIdentifier] = continuation
        lock.unlock()
        continuation.onTermination = { _ in task.cancel() }
        task.resume()
        return stream
    }

    private func continuation(_ task: URLSessionTask) -> AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation? {
        lock.lock()
        defer { lock.unlock() }
        return streams[task.taskIdentifier]
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
            }
            continuation(dataTask)?.yield(.head(status: http.statusCode, headers: headers))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        continuation(dataTask)?.yield(.body(data))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        let continuation = streams.removeValue(forKey: task.taskIdentifier)
        lock.unlock()
        if let error {
            let mapped: LMError = if let urlError = error as? URLError, urlError.code == .cancelled { .cancelled }
                else { .transport((error as? URLError)?.localizedDescription ?? "\(error)") }
            continuation?.finish(throwing: mapped)
        } else {
            continuation?.finish()
        }
    }
}
