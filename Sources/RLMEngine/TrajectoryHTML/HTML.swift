/// HTML text escaping for the trajectory page. Everything the page shows came from a model or a
/// file, so every piece of text goes through `escape` before it meets markup.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references: safe in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { needsEscape($0) }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// `text` cut to `limit` characters on one line (newlines and runs of spaces become one space).
    static func oneLine(_ text: String, limit: Int) -> String {
        var out = ""
        var lastWasSpace = true
        var count = 0
        for character in text {
            let space = character.isWhitespace
            if space && lastWasSpace { continue }
            if count == limit { return out.trimmingTrailingSpace() + "…" }
            out.append(space ? " " : character)
            lastWasSpace = space
            count += 1
        }
        return out.trimmingTrailingSpace()
    }
}

private extension String {
    func trimmingTrailingSpace() -> String { hasSuffix(" ") ? String(dropLast()) : self }
}
