import ContextStore
import RLMSupport

/// Long texts (prompts, replies, outputs) kept out of the DOM until asked for. The page shows the
/// head of each and keeps the whole in one inert `<script type="application/json">` block, which
/// the browser stores as a single text node without parsing or laying it out; the page's script
/// puts a text into its `<pre>` when the reader (or a search match) opens it. A 5 MB trajectory
/// then loads as fast as a small one.
struct LazyBodies {
    /// Texts up to this many characters are written into the page as they are.
    static let inlineLimit = 2_000
    /// What a long text shows before it is opened.
    static let headLength = 600

    private(set) var texts: [String] = []

    /// A `<pre>` of `text`: whole when short, else its head, with a button that shows the rest.
    mutating func pre(_ text: String, class cssClass: String) -> String {
        guard text.utf8.count > Self.inlineLimit, text.count > Self.inlineLimit else {
            return "<pre class=\"\(cssClass)\">\(Self.markCuts(text))</pre>"
        }
        let number = texts.count
        texts.append(text)
        return "<pre class=\"\(cssClass)\" data-body=\"\(number)\">\(Self.markCuts(String(text.prefix(Self.headLength))))…</pre>"
            + "<button class=\"more\" type=\"button\" data-body=\"\(number)\">Show all \(PageFormat.count(text.count)) characters</button>"
    }

    /// The texts as a JSON array inside a data block. `<`, `>` and `&` are written as `\u003c`…
    /// (they only occur inside JSON strings), so no text can close the block or open a comment.
    func script() -> String {
        var json = JSONText(capacity: texts.reduce(16) { $0 + $1.utf8.count + 16 })
        json.raw("[")
        for (index, text) in texts.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(text)
        }
        json.raw("]")
        var out: [UInt8] = []
        out.reserveCapacity(json.bytes.count + 1024)
        out.append(contentsOf: "<script type=\"application/json\" id=\"bodies\">".utf8)
        for byte in json.bytes {
            switch byte {
            case UInt8(ascii: "<"): out.append(contentsOf: "\\u003c".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "\\u003e".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "\\u0026".utf8)
            default: out.append(byte)
            }
        }
        out.append(contentsOf: "</script>\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Escaped text with the lines where rlmd cut a text (`... [N chars cut] ...`, from the REPL's
    /// output limit or the trajectory's record limit) marked. trajectory.js marks them the same way
    /// in texts it opens.
    static func markCuts(_ text: String) -> String {
        guard text.contains("] ...") else { return HTML.escape(text) }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            isCut(line) ? "<span class=\"cut\">\(HTML.escape(String(line)))</span>" : HTML.escape(String(line))
        }.joined(separator: "\n")
    }

    static func isCut(_ line: Substring) -> Bool {
        guard line.hasPrefix("... ["), line.hasSuffix("] ..."), line.count < 200 else { return false }
        let inside = line.dropFirst(5)
        let digits = inside.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return false }
        let rest = inside.dropFirst(digits.count)
        return rest.hasPrefix(" chars cut") || rest.hasPrefix(" bytes of process output cut")
    }
}
