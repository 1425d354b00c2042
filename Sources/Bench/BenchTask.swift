/// One question of a suite with its reference answer, about one generated (or given) context.
public struct BenchTask: Sendable, Codable, Equatable {
    /// Stable across runs with the same seed: `oolong-2^14-c0-q3`.
    public var id: String
    public var suite: String
    /// The kind of question (`most_common`, `count`, `single_needle`, ...), a column of the table.
    public var kind: String
    /// The context it is asked about (several tasks share one).
    public var context: String
    /// The context's size in tokens, as asked for (`--sizes`); the generated one is within a few percent.
    public var contextTokens: Int
    public var question: String
    /// How the answer must be given, added to the question (`Answer: <label>`).
    public var format: String?
    public var reference: Reference

    public enum Reference: Sendable, Codable, Equatable {
        /// One of the labels (OOLONG): exact match after normalisation.
        case label(String, choices: [String])
        /// `more common than`, `less common than` or `same frequency as` (OOLONG comparisons).
        case comparison(String)
        /// A count (OOLONG): 0.75^|error|.
        case number(Int)
        /// Every value must appear in the answer (needles).
        case contains([String])
        /// A reference answer for an LLM judge, and the files a good answer cites (repository QA).
        case judged(answer: String, files: [String])
    }
}

/// Task sizes: `8k`, `1m`, `2^14`, or a plain number of tokens.
public enum TokenCount {
    public static func parse(_ text: String) -> Int? {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.hasPrefix("2^"), let exponent = Int(lower.dropFirst(2)), (0...40).contains(exponent) { return 1 << exponent }
        let multipliers: [(String, Int)] = [("k", 1_000), ("m", 1_000_000), ("g", 1_000_000_000)]
        for (suffix, multiplier) in multipliers where lower.hasSuffix(suffix) {
            guard let value = Double(lower.dropLast()), value > 0 else { return nil }
            return Int(value * Double(multiplier))
        }
        return Int(lower).flatMap { $0 > 0 ? $0 : nil }
    }

    /// `2^14` for powers of two from 2^10 up, else `8k`, `1.5m`.
    public static func describe(_ tokens: Int) -> String {
        if tokens >= 1024, tokens & (tokens - 1) == 0 { return "2^\(tokens.trailingZeroBitCount)" }
        if tokens >= 1_000_000 { return trimmed(Double(tokens) / 1_000_000) + "m" }
        if tokens >= 1_000 { return trimmed(Double(tokens) / 1_000) + "k" }
        return String(tokens)
    }

    private static func trimmed(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
