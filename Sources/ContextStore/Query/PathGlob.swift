/// A `--glob` filter: with a `/` it matches the whole relative path, without one the basename
/// (so `*.py` finds Python files at any depth); a leading `!` excludes instead.
public struct PathGlob: Sendable {
    private let pattern: [UInt8]
    private let wholePath: Bool
    private let negated: Bool

    public init(_ glob: String) {
        var text = Substring(glob)
        negated = text.hasPrefix("!")
        if negated { text = text.dropFirst() }
        if text.hasPrefix("/") { text = text.dropFirst() }
        wholePath = text.contains("/")
        pattern = Array(text.utf8)
    }

    public func matches(_ path: String) -> Bool {
        let subject: [UInt8]
        if wholePath {
            subject = Array(path.utf8)
        } else {
            subject = Array((path.split(separator: "/").last ?? Substring(path)).utf8)
        }
        return Wildmatch.matches(pattern, subject) != negated
    }
}
