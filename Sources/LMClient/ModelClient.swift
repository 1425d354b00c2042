import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `LanguageModel` over a provider's HTTP API: retries with backoff, a per-request timeout
/// (bounded by the request's deadline), a concurrency limit, and cost from the price table.
public final class ModelClient: LanguageModel {
    public let api: any ProviderAPI
    public let retry: RetryPolicy
    public let timeout: Double
    let transport: HTTPTransport
    private let prices: PriceTable
    private let limit: ConcurrencyLimit
    private let cache: (any ResponseCache)?
    private let redactor: SecretRedactor
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
        redactor = .forProcess(adding: api.secrets)
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
        return try await withRetries(request) { (seconds: Double) async throws(LMError) -> Completion in
            let response = try await self.transport.send(urlRequest, timeout: seconds)
            guard (200..<300).contains(response.status) else { throw self.api.error(from: response) }
            return try self.api.parseReply(response)
        }
    }

    /// Runs `attempt` under the concurrency limit, retrying retryable failures (while `mayRetry`
    /// says so) with backoff, and prices the result. `attempt` gets its time limit: the client's
    /// timeout, or what is left before the request's deadline, which no attempt or pause outlasts.
    ///
    /// This is where every failure built from a provider's reply passes: keys are redacted from
    /// it here, before it is logged, retried, stored or shown.
    func withRetries(_ request: CompletionRequest, mayRetry: () -> Bool = { true },
                     _ attempt: (Double) async throws(LMError) -> Completion) async throws(LMError) -> Completion {
        try preflight(request)
        await limit.acquire()
        defer { Task { await limit.release() } }
        var number = 0
        while true {
            number += 1
            if Task.isCancelled { throw .cancelled }
            let seconds = min(timeout, request.deadline.map { Self.seconds(until: $0) } ?? timeout)
            guard seconds > 0 else { throw .timeout(0) }
            do {
                return priced(try await attempt(seconds), request: request, attempts: number)
            } catch {
                let error = error.redacted(redactor)
                guard error.isRetryable, mayRetry(), number < retry.maxAttempts else { throw error }
                try await pause(after: error, attempt: number, deadline: request.deadline)
            }
        }
    }

    static func seconds(until deadline: ContinuousClock.Instant) -> Double {
        (deadline - .now) / .seconds(1)
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

    /// Waits before the next attempt; fails with `failure` when the wait would end past `deadline`.
    private func pause(after failure: LMError, attempt: Int, deadline: ContinuousClock.Instant?) async throws(LMError) {
        var retryAfter: Double?
        if case .rateLimited(_, let after) = failure { retryAfter = after }
        let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
        if let deadline, delay >= Self.seconds(until: deadline) { throw failure }
        logger.info("\(api.name) attempt \(attempt) failed (\(failure)); retrying in \(String(format: "%.2f", delay)) s")
        do {
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        } catch {
            throw .cancelled
        }
    }
}
