import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `LanguageModel` over a provider's HTTP API: retries with backoff, a per-request timeout,
/// a concurrency limit, and cost from the price table.
public final class ModelClient: LanguageModel {
    public let api: any ProviderAPI
    public let retry: RetryPolicy
    public let timeout: Double
    private let transport: HTTPTransport
    private let prices: PriceTable
    private let limit: ConcurrencyLimit
    private let cache: (any ResponseCache)?
    private let streaming = StreamingSession()
    private let logger: Logger

    public init(api: any ProviderAPI, retry: RetryPolicy = RetryPolicy(), timeout: Double = 300, maxConcurrent: Int = 16,
                prices: PriceTable = .bundled, transport: HTTPTransport = HTTPTransport(),
                cache: (any ResponseCache)? = nil, logger: Logger = Logger(label: "rlmd.lm")) {
        self.cache = cache
        self.api = api
        self.retry = retry
        self.timeout = timeout
        self.transport = transport
        self.prices = prices
        self.limit = ConcurrencyLimit(limit: maxConcurrent)
        self.logger = logger
    }

    public func complete(_ request: CompletionRequest) async throws(LMError) -> Completion {
        let cacheKey = cache == nil ? nil : CacheKey(provider: api.name, baseURL: api.baseURL, request: request)
        if let cacheKey, let cached = cache?.lookup(cacheKey) { return cached }
        let completion = try await call(request)
        if let cacheKey { cache?.store(cacheKey, completion) }
        return completion
    }

    /// Fails fast, before any HTTP, when the prompt cannot fit the model's window.
    func preflight(_ request: CompletionRequest) throws(LMError) {
        guard let window = prices.price(for: request.model)?.contextWindow else { return }
        let needed = request.estimatedPromptTokens + (request.maxTokens ?? 0)
        if needed > window {
            throw .contextTooLong("about \(needed) tokens for \(request.model), whose window is \(window)")
        }
    }

    private func call(_ request: CompletionRequest) async throws(LMError) -> Completion {
        let urlRequest = try api.makeRequest(request, timeout: timeout)
        return try await withRetries(request) { () async throws(LMError) -> Completion in
            let response = try await self.transport.send(urlRequest, timeout: self.timeout)
            guard (200..<300).contains(response.status) else { throw self.api.error(from: response) }
            return try self.api.parseReply(response)
        }
    }

    /// Runs `attempt` under the concurrency limit, retrying retryable failures (while `mayRetry`
    /// says so) with backoff, and prices the result.
    private func withRetries(_ request: CompletionRequest, mayRetry: () -> Bool = { true },
                             _ attempt: () async throws(LMError) -> Completion) async throws(LMError) -> Completion {
        try preflight(request)
        await limit.acquire()
        defer { Task { await limit.release() } }
        var number = 0
        while true {
            number += 1
            if Task.isCancelled { throw .cancelled }
            do {
                return priced(try await attempt(), request: request, attempts: number)
            } catch {
                guard error.isRetryable, mayRetry(), number < retry.maxAttempts else { throw error }
                try await pause(after: error, attempt: number)
            }
        }
    }

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

    private func streamWithRetries(_ request: CompletionRequest, onText: @escaping (String) -> Void) async throws(LMError) -> Completion {
        let urlRequest = try api.makeStreamingRequest(request, timeout: timeout)
        var sentText = false
        return try await withRetries(request, mayRetry: { !sentText }) { () async throws(LMError) -> Completion in
            try await self.streamOnce(urlRequest) { text in
                sentText = true
                onText(text)
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
            for try await part in streaming.stream(urlRequest) {
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
        } catch let error as LMError {
            throw error
        } catch {
            throw Task.isCancelled ? .cancelled : .transport("\(error)")
        }
        if Task.isCancelled { throw .cancelled }
        guard (200..<300).contains(status) else {
            throw api.error(from: HTTPResponse(status: status, headers: headers, body: errorBody))
        }
        guard decoder.reply.isFinished else { throw .transport("the stream ended before the reply was complete") }
        return decoder.reply.completion(text: text)
    }

    private func priced(_ reply: Completion, request: CompletionRequest, attempts: Int) -> Completion {
        var completion = reply
        if completion.model.isEmpty { completion.model = request.model }
        completion.attempts = attempts
        if completion.usage.reported, let price = prices.price(for: request.model) ?? prices.price(for: completion.model) {
            completion.costUSD = price.cost(of: completion.usage)
        }
        return completion
    }

    private func pause(after failure: LMError, attempt: Int) async throws(LMError) {
        var retryAfter: Double?
        if case .rateLimited(_, let after) = failure { retryAfter = after }
        let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
        logger.info("\(api.name) attempt \(attempt) failed (\(failure)); retrying in \(String(format: "%.2f", delay)) s")
        do {
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        } catch {
            throw .cancelled
        }
    }
}
