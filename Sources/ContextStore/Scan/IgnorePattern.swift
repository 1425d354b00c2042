/// One line of a `.gitignore`-style file, parsed the way git parses it.
public struct IgnorePattern: Sendable, Equatable {
    /// The glob, without `!`, without a leading `/` and without a trailing `/`.
    public let glob: [UInt8]
    public let negated: Bool
    /// Ends in `/`: matches directories only.
    public let directoryOnly: Bool
    /// Contains no `/` (other than a trailing one): matched against the basename at any depth.
    public let matchesBasename: Bool
    /// How the glob can be matched without `Wildmatch`, found once when the line is parsed.
    let shape: Shape

    /// `literal` and `anyDepth` match by byte equality, `suffix` by the text's end; `wildcard` needs `Wildmatch`.
    enum Shape: Equatable {
        /// No `*`, `?`, `[` or `\`: the text must equal the glob.
        case literal
        /// `*` then a literal: the basename must end with it.
        case suffix([UInt8])
        /// `**/` (one or more times) then a literal without `/`: the basename must equal it,
        /// at any depth (`**/` matches zero or more directories).
        case anyDepth([UInt8])
        case wildcard
    }

    /// Parses one line; nil for blank lines, comments and lines git would ignore.
    public init?(line rawLine: Substring) {
        self.init(bytes: Array(rawLine.utf8)[...])
    }

    init?(bytes rawLine: ArraySlice<UInt8>) {
        var line = Array(rawLine)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
        // Trailing spaces are dropped unless escaped with a backslash.
        while line.last == UInt8(ascii: " ") {
            let spaceIndex = line.count - 1
            var backslashes = 0
            var k = spaceIndex - 1
            while k >= 0 && line[k] == UInt8(ascii: "\\") { backslashes += 1; k -= 1 }
            if backslashes % 2 == 1 { break }
            line.removeLast()
        }
        var negated = false
        if line.first == UInt8(ascii: "!") {
            negated = true
            line.removeFirst()
        }
        var directoryOnly = false
        if line.last == UInt8(ascii: "/") {
            directoryOnly = true
            line.removeLast()
        }
        guard !line.isEmpty else { return nil }
        // A trailing unescaped backslash makes the pattern invalid; git drops it.
        if line.last == UInt8(ascii: "\\") {
            var count = 0
            var k = line.count - 1
            while k >= 0 && line[k] == UInt8(ascii: "\\") { count += 1; k -= 1 }
            if count % 2 == 1 { return nil }
        }
        let matchesBasename = !line.contains(UInt8(ascii: "/"))
        if line.first == UInt8(ascii: "/") { line.removeFirst() }
        self.glob = line
        self.negated = negated
        self.directoryOnly = directoryOnly
        self.matchesBasename = matchesBasename
        self.shape = Self.shape(of: line, matchesBasename: matchesBasename)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    private static func shape(of glob: [UInt8], matchesBasename: Bool) -> Shape {
        if !glob.contains(where: isSpecial) { return .literal }
        if matchesBasename, glob.first == UInt8(ascii: "*"), !glob.dropFirst().contains(where: isSpecial) {
            return .suffix(Array(glob.dropFirst()))
        }
        var rest = glob[...]
        let starStarSlash = Array("**/".utf8)
        while rest.starts(with: starStarSlash) { rest = rest.dropFirst(3) }
        if rest.count < glob.count, !rest.isEmpty, !rest.contains(where: isSpecial), !rest.contains(UInt8(ascii: "/")) {
            return .anyDepth(Array(rest))
        }
        return .wildcard
    }

    /// The literal every matching text's basename ends with: what follows the glob's last wildcard
    /// (or bracket), up to the last `/` before it; nil when the glob ends in a wildcard.
    var literalTail: ArraySlice<UInt8>? {
        guard let last = glob.lastIndex(where: { Self.isSpecial($0) || $0 == UInt8(ascii: "]") }) else { return nil }
        var tail = glob[(last + 1)...]
        if let slash = tail.lastIndex(of: UInt8(ascii: "/")) { tail = tail[(slash + 1)...] }
        return tail.isEmpty ? nil : tail
    }

    /// The literal every matching text (the basename, or the relative path) starts with: the glob
    /// up to its first wildcard.
    var literalHead: ArraySlice<UInt8> {
        glob[..<(glob.firstIndex(where: Self.isSpecial) ?? glob.endIndex)]
    }

    public static func parse(file contents: String) -> [IgnorePattern] {
        // Split as bytes: splitting the String walks grapheme clusters, a third of parsing a long file.
        Array(contents.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .compactMap(IgnorePattern.init(bytes:))
    }

    /// `relativePath` is relative to the directory holding the ignore file; `basename` its last component.
    func matches(relativePath: ArraySlice<UInt8>, basename: ArraySlice<UInt8>, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        switch shape {
        case .literal: return (matchesBasename ? basename : relativePath).elementsEqual(glob)
        case .suffix(let literal): return basename.count >= literal.count && basename.suffix(literal.count).elementsEqual(literal)
        case .anyDepth(let literal): return basename.elementsEqual(literal)
        case .wildcard: return Wildmatch.matches(glob, matchesBasename ? basename : relativePath)
        }
    }
}
