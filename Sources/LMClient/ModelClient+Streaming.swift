import Foundation
import RLMSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ModelClient {
    /// Streams the reply: text as it arrives, then the completion. A failure before the first
    /// text is retried like any call; after it, the stream ends with the error.
    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let completion = try await self.streamWithRetries(request) { continuation.yield(.text($0)) }
                    continuation.yield(.completed(completion))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func streamWithRetries(_ request: CompletionRequest,
                                   onText: @escaping @Sendable (String) -> Void) async throws(LMError) -> Completion {
        let urlRequest = try api.makeStreamingRequest(request, timeout: timeout)
        let sent = Locked(false)  // whether any text has been passed on (after which it is not retried)
        return try await withRetries(request, mayRetry: { !sent.withLock { $0 } }) { (seconds: Double) async throws(LMError) -> Completion in
            // The whole exchange within the attempt's time, as for a plain call.
            try await HTTPTransport.within(seconds) { () async throws(LMError) -> Completion in
                try await self.streamOnce(urlRequest) { text in
                    sent.withLock { $0 = true }
                    onText(text)
                }
            }
        }
    }

    private func streamOnce(_ urlRequest: URLRequest, onText: (String) -> Void) async throws(LMError) -> Completion {
        var decoder = api.makeStreamDecoder()
        var parser = ServerSentEventParser()
        var text = ""
        var status = 0
        var headers: [String: String] = [:]
        var errorBody = Data()
        do {
            for try await part in transport.stream(urlRequest) {
                switch part {
                case .head(let code, let fields):
                    status = code
                    headers = fields
                case .body(let data):
                    guard (200..<300).contains(status) else {
                        errorBody.append(data)
                        continue
                    }
                    for event in parser.feed(data) {
                        let delta = try decoder.consume(event)
                        if !delta.isEmpty {
                            text += delta
                            onText(delta)
                        }
                    }
                }
            }
        } catch {
            throw .from(error)
        }
        if Task.isCancelled { throw .cancelled }
        guard (200..<300).contains(status) else {
            throw api.error(from: HTTPResponse(status: status, headers: headers, body: errorBody))
        }
        guard decoder.reply.isFinished else { throw .transport("the stream ended before the reply was complete") }
        return decoder.reply.completion(text: text)
    }
}
