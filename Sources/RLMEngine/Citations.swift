import ContextStore
import Foundation

/// A `path:line` or `path:start-end` mention in an answer, checked against the index.
public struct Citation: Sendable, Codable, Equatable {
    public var path: String
    public var startLine: Int
    public var endLine: Int
    /// False when the index has no such document or the lines are past its end: the mention is
    /// reported as written and flagged, never corrected by guesswork.
    public var resolved: Bool
    /// The mention as it appeared in the answer.
    public var text: String
    /// The first cited lines as indexed (at most `Citations.excerptLines`, each cut to 200 chars), so
    /// a list of citations can show what each points at; nil when unresolved.
    public var excerpt: String?
}

enum Citations {
    /// `some/path.ext:12`, `path:12-40`, `path:12:5` (a column, ignored), and session messages `#42`.
    private static let mention = try? NSRegularExpression(
        pattern: #"(?<![\w/.#-])((?:[\w.@+-]+/)*[\w.@+-]+\.[A-Za-z0-9_+-]+|[\w.@+-]+(?:/[\w.@+-]+)+|(?:agent-[\w-]+)?#\d+)(?::(\d+)(?:[-–](\d+))?)?"#)

    static func resolve(in answer: String, snapshot: ContextSnapshot?) -> [Citation] {
        guard let snapshot, let mention else { return [] }
        var found: [Citation] = []
        var seen = Set<String>()
        let text = answer as NSString
        for match in mention.matches(in: answer, range: NSRange(location: 0, length: text.length)) {
            let written = text.substring(with: match.range)
            let rawPath = text.substring(with: match.range(at: 1))
            let isMessage = rawPath.contains("#")
            let start = match.range(at: 2).location == NSNotFound ? nil : Int(text.substring(with: match.range(at: 2)))
            let end = match.range(at: 3).location == NSNotFound ? start : Int(text.substring(with: match.range(at: 3)))
            // A bare path (no line) is a citation only for session messages; file names alone are prose.
            guard isMessage || start != nil, seen.insert(written).inserted else { continue }
            guard let document = lookup(rawPath, in: snapshot) else {
                found.append(Citation(path: rawPath, startLine: start ?? 0, endLine: end ?? 0, resolved: false, text: written))
                continue
            }
            let first = start ?? 1, last = max(end ?? document.lineCount, first)
            let resolved = first >= 1 && last <= max(document.lineCount, 1)
            found.append(Citation(path: document.path, startLine: first, endLine: last, resolved: resolved, text: written,
                                  excerpt: resolved ? excerpt(document.path, first, last, snapshot) : nil))
        }
        return found
    }

    static let excerptLines = 3

    private static func excerpt(_ path: String, _ first: Int, _ last: Int, _ snapshot: ContextSnapshot) -> String? {
        guard let text = try? snapshot.lines(path: path, startLine: first, endLine: min(last, first + excerptLines - 1)) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(excerptLines)
        return lines.map { $0.count > 200 ? String($0.prefix(200)) + "…" : String($0) }.joined(separator: "\n")
            .trimmingCharacters(in: .newlines)
    }

    /// The document named exactly, or the only one whose path ends with `/name`.
    private static func lookup(_ path: String, in snapshot: ContextSnapshot) -> Document? {
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        if let exact = snapshot.document(path: trimmed) { return exact }
        let suffix = "/" + trimmed
        let candidates = snapshot.documents.lazy.filter { $0.path.hasSuffix(suffix) }.prefix(2)
        return candidates.count == 1 ? candidates.first : nil
    }
}
