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

/// Sends requests over one `URLSession`, so connections to a provider are reused across calls;
/// cancelling the calling `Task` cancels the request on the wire.
public final class HTTPTransport: Sendable {
    private let session: URLSession

    public init(configuration: URLSessionConfiguration = .ephemeral) {
        configuration.httpMaximumConnectionsPerHost = 64
        session = URLSession(configuration: configuration)
    }

    /// Sends `request`, giving up after `timeout` seconds for the whole exchange (URLSession's
    /// own `timeoutInterval` is an idle timeout, and libcurl did not apply it here).
    public func send(_ request: URLRequest, timeout: Double) async throws(LMError) -> HTTPResponse {
        do {
            return try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
                group.addTask { try await self.send(request) }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else { throw LMError.timeout(timeout) }
                return response
            }
        } catch let error as LMError {
            throw error
        } catch {
            throw Task.isCancelled ? .cancelled : .transport(String(describing: error))
        }
    }

    public func send(_ request: URLRequest) async throws(LMError) -> HTTPResponse {
        if Task.isCancelled { throw .cancelled }
        let handle = TaskHandle()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                    handle.setContinuation(continuation)
                    let task = session.dataTask(with: request) { data, response, error in
                        if let error {
                            handle.resume(with: .failure(error))
                        } else if let http = response as? HTTPURLResponse {
                            var headers: [String: String] = [:]
                            for (key, value) in http.allHeaderFields {
                                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
                            }
                            handle.resume(with: .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
                        } else {
                            handle.resume(with: .failure(LMError.transport("the reply was not HTTP")))
                        }
                    }
                    handle.start(task)
                }
            } onCancel: {
                handle.cancel()
            }
        } catch let error as LMError {
            throw error
        } catch let error as URLError {
            switch error.code {
            case .cancelled: throw .cancelled
            case .timedOut: throw .timeout(request.timeoutInterval)
            default: throw .transport(error.localizedDescription)
            }
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .transport(String(describing: error))
        }
    }

    /// One request's task and continuation. Cancelling resumes the caller at once, without
    /// waiting for URLSession to report the cancelled transfer (which took seconds under load).
    private final class TaskHandle: @unchecked Sendable {
        private let lock = NSLock()
        private var task: URLSessionDataTask?
        private var continuation: CheckedContinuation<HTTPResponse, any Error>?
        private var cancelled = false

        func setContinuation(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
            lock.lock()
            self.continuation = continuation
            lock.unlock()
        }

        func start(_ task: URLSessionDataTask) {
            lock.lock()
            self.task = task
            let cancelled = self.cancelled
            lock.unlock()
            if cancelled {
                task.cancel()
                resume(with: .failure(LMError.cancelled))
            } else {
                task.resume()
            }
        }

        /// Resumes the caller the first time only.
        func resume(with result: Result<HTTPResponse, any Error>) {
            lock.lock()
            let continuation = self.continuation
            self.continuation = nil
            lock.unlock()
            continuation?.resume(with: result)
        }

        func cancel() {
            lock.lock()
            cancelled = true
            let task = self.task
            lock.unlock()
            task?.cancel()
            if task != nil { resume(with: .failure(LMError.cancelled)) }
        }
    }
}
