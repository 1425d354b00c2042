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

    private func call(_ request: CompletionRequest) async throws(LMError) -> Completion {
        let urlRequest = try api.makeRequest(request, timeout: timeout)
        await limit.acquire()
        defer { Task { await limit.release() } }
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            let failure: LMError
            do {
                let response = try await transport.send(urlRequest, timeout: timeout)
                if (200..<300).contains(response.status) {
                    var completion = try api.parseReply(response)
                    if completion.model.isEmpty { completion.model = request.model }
                    completion.attempts = attempt
                    if completion.usage.reported, let price = prices.price(for: request.model) ?? prices.price(for: completion.model) {
                        completion.costUSD = price.cost(of: completion.usage)
                    }
                    return completion
                }
                failure = api.error(from: response)
            } catch {
                failure = error
            }
            guard failure.isRetryable, attempt < retry.maxAttempts else { throw failure }
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
}
