import Foundation
import RLMSupport

/// Removes API keys from text a provider sent back. Providers echo keys in their errors (OpenAI
/// shows `sk-proj-****abcd`, a proxy may show the whole key), and those errors reach stderr, JSON
/// answers, logs and trajectories; so every message is redacted before anything else sees it.
///
/// Redacted: any run of ≥ 8 chars of a key (so a whole key, or a long piece of one), a prefix and
/// a suffix of a key around a mask (`***`, `...`, `…`) when they show ≥ 8 of its chars or its first
/// 3 and last 4 (`sk-...abcd`), and the value after `Bearer`, `x-api-key`, `api_key` or `authorization`.
public struct SecretRedactor: Sendable {
    public static let mask = "[redacted]"
    private let keys: [[UInt8]]

    /// Keys shorter than 4 chars are ignored (they would mask ordinary words); those of 4 to 7
    /// chars are redacted only where they appear whole.
    public init(secrets: [String]) {
        keys = Array(Set(secrets.map { Array($0.utf8) }.filter { $0.count >= 4 }))
    }

    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var marked = [Bool](repeating: false, count: bytes.count)
        for key in keys {
            for range in Self.pieces(of: key, in: bytes) + Self.maskedFragments(of: key, in: bytes) {
                for index in range { marked[index] = true }
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if marked[index] {
                output += Array(Self.mask.utf8)
                while index < bytes.count && marked[index] { index += 1 }
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return Self.credentialValues(String(decoding: output, as: UTF8.self))
    }

    /// Runs of the text that are substrings of `key` at least 8 bytes long (the whole key when shorter).
    static func pieces(of key: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        let window = min(8, key.count)
        guard text.count >= window else { return [] }
        var starts: [ArraySlice<UInt8>: [Int]] = [:]
        for start in 0...(key.count - window) { starts[key[start..<start + window], default: []].append(start) }
        var found: [Range<Int>] = []
        for position in 0...(text.count - window) {
            guard let inKey = starts[text[position..<position + window]] else { continue }
            var longest = window
            for start in inKey {
                var length = window
                while start + length < key.count, position + length < text.count, key[start + length] == text[position + length] {
                    length += 1
                }
                longest = max(longest, length)
            }
            found.append(position..<position + longest)
        }
        return found
    }

    /// A mask with a prefix of `key` before it and a suffix after it, when together they give it away.
    static func maskedFragments(of key: [UInt8], in text: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < text.count {
            guard let end = maskRunEnd(text, from: index) else {
                index += 1
                continue
            }
            var before = min(index, key.count)
            while before > 0 && Array(text[(index - before)..<index]) != Array(key.prefix(before)) { before -= 1 }
            var after = min(text.count - end, key.count)
            while after > 0 && Array(text[end..<(end + after)]) != Array(key.suffix(after)) { after -= 1 }
            if before + after >= 8 || (before >= 3 && after >= 4) { found.append((index - before)..<(end + after)) }
            index = end
        }
        return found
    }

    /// Where a mask starting at `index` ends: three or more `*` or `.`, or any number of `…`.
    private static func maskRunEnd(_ text: [UInt8], from index: Int) -> Int? {
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        var end = index
        if text[index] == UInt8(ascii: "*") || text[index] == UInt8(ascii: ".") {
            while end < text.count && text[end] == text[index] { end += 1 }
            return end - index >= 3 ? end : nil
        }
        while end + 3 <= text.count && Array(text[end..<end + 3]) == ellipsis { end += 3 }
        return end > index ? end : nil
    }

    private static let credentialPatterns: [(NSRegularExpression, String)] = [
        (#"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"#, "$1 \(mask)"),
        (#"(?i)\b(x-api-key|api[-_]?key|authorization)(["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',;}]+"#, "$1$2\(mask)"),
    ].compactMap { pattern, template in (try? NSRegularExpression(pattern: pattern)).map { ($0, template) } }

    private static func credentialValues(_ text: String) -> String {
        credentialPatterns.reduce(text) { text, rule in
            rule.0.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: rule.1)
        }
    }
}

extension SecretRedactor {
    /// The keys a process knows: the given ones, every `*_API_KEY` variable, and the keys of
    /// providers resolved so far (`register`), so one provider's error cannot show another's key.
    public static func forProcess(adding secrets: [String],
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> SecretRedactor {
        let variables = environment.filter { $0.key.hasSuffix("_API_KEY") && $0.value.utf8.count >= 8 }.map(\.value)
        return SecretRedactor(secrets: secrets + variables + knownSecrets.withLock { Array($0) })
    }

    public static func register(_ secret: String?) {
        if let secret, !secret.isEmpty { knownSecrets.withLock { _ = $0.insert(secret) } }
    }
}

/// The keys of the providers resolved so far in this process (`SecretRedactor.register`).
private let knownSecrets = Locked<Set<String>>([])

extension LMError {
    /// The same error with keys taken out of every message.
    func redacted(_ redactor: SecretRedactor) -> LMError {
        switch self {
        case .notConfigured(let message): .notConfigured(redactor.redact(message))
        case .authentication(let message): .authentication(redactor.redact(message))
        case .rateLimited(let message, let after): .rateLimited(redactor.redact(message), retryAfter: after)
        case .contextTooLong(let message): .contextTooLong(redactor.redact(message))
        case .server(let status, let message): .server(status: status, redactor.redact(message))
        case .transport(let message): .transport(redactor.redact(message))
        case .malformedReply(let message): .malformedReply(redactor.redact(message))
        case .timeout, .cancelled, .replyTooLarge: self
        }
    }
}
