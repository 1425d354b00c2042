import ContextStore
import Foundation
import LMClient

/// The plain model given the context cut to its window: the first tokens that fit, then the question.
public enum DirectBaseline {
    /// Tokens kept free for the question, the instructions and the reply.
    static let reserve = 2_048

    public struct Prompt: Sendable {
        public var text: String
        public var keptChars: Int
        public var totalChars: Int
        public var truncated: Bool { keptChars < totalChars }
    }

    /// The prompt for a model with a window of `window` tokens (four UTF-8 bytes each, as rlmd estimates).
    public static func prompt(question: String, snapshot: ContextSnapshot, window: Int) -> Prompt {
        let budgetBytes = max(0, window - reserve) * 4
        var chars = min(snapshot.totalChars, budgetBytes)
        var text = snapshot.slice(chars: 0..<chars)
        if text.utf8.count > budgetBytes {
            // Wider than ASCII: cut to the byte budget, dropping a char cut in two.
            text = String(decoding: text.utf8.prefix(budgetBytes), as: UTF8.self)
            while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() }
            chars = text.unicodeScalars.count
        }
        let note = chars < snapshot.totalChars ? "\n[the context is cut here: it goes on beyond what fits]\n" : ""
        return Prompt(text: "Read the context below, then answer the question that follows it.\n\n<context>\n\(text)\(note)</context>\n\n\(question)",
                      keptChars: chars, totalChars: snapshot.totalChars)
    }

    /// The window of `model`: the price table's, else `fallback`.
    public static func window(of model: String, prices: PriceTable = .bundled, fallback: Int = 128_000) -> Int {
        prices.price(for: model)?.contextWindow ?? fallback
    }
}
