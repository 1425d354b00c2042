import Foundation

/// USD per million tokens of one model, and its context window.
public struct ModelPrice: Sendable, Equatable, Codable {
    public var input: Double
    public var output: Double
    public var cachedInput: Double?
    public var cacheWrite: Double?
    /// The model's context window in tokens, for the preflight check.
    public var contextWindow: Int?

    enum CodingKeys: String, CodingKey {
        case input, output
        case cachedInput = "cached_input", cacheWrite = "cache_write", contextWindow = "context_window"
    }

    public func cost(of usage: Usage) -> Double {
        let uncached = max(0, usage.input - usage.cachedInput - usage.cacheWrite)
        let total = Double(uncached) * input + Double(usage.cachedInput) * (cachedInput ?? input)
            + Double(usage.cacheWrite) * (cacheWrite ?? input) + Double(usage.output) * output
        return total / 1_000_000
    }
}

/// List prices shipped as `prices.json`, extended or overridden by the configuration.
public struct PriceTable: Sendable {
    public private(set) var prices: [String: ModelPrice]

    public init(prices: [String: ModelPrice]) { self.prices = prices }

    /// The table shipped with rlmd (empty, so costs are unknown, if the resource cannot be read).
    public static let bundled: PriceTable = {
        guard let url = Bundle.module.url(forResource: "prices", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return PriceTable(prices: [:]) }
        return PriceTable(json: data) ?? PriceTable(prices: [:])
    }()

    public init?(json: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return nil }
        var prices: [String: ModelPrice] = [:]
        for (model, value) in object where !model.hasPrefix("_") {
            guard let entry = try? JSONSerialization.data(withJSONObject: value),
                  let price = try? JSONDecoder().decode(ModelPrice.self, from: entry) else { continue }
            prices[model] = price
        }
        self.prices = prices
    }

    public mutating func set(_ model: String, _ price: ModelPrice) { prices[model] = price }

    /// Exact name first, then without a provider prefix (`openai/gpt-5`), then the longest known
    /// name the model starts with (`gpt-4.1-2025-04-14` is `gpt-4.1`).
    public func price(for model: String) -> ModelPrice? {
        if let price = prices[model] { return price }
        let bare = model.split(separator: "/").last.map(String.init) ?? model
        if let price = prices[bare] { return price }
        return prices.keys.filter { bare.hasPrefix($0 + "-") || bare.hasPrefix($0 + "@") }
            .max { $0.count < $1.count }
            .flatMap { prices[$0] }
    }
}
