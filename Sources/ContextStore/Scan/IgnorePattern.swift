/// One line of a `.gitignore`-style file, parsed the way git parses it.
public struct IgnorePattern: Sendable, Equatable {
    /// The glob, without `!`, without a leading `/` and without a trailing `/`.
    public let glob: [UInt8]
    public let negated: Bool
    /// Ends in `/`: matches directories only.
    public let directoryOnly: Bool
    /// Contains no `/` (other than a trailing one): matched against the basename at any depth.
    public let matchesBasename: Bool

    /// Parses one line; nil for blank lines, comments and lines git would ignore.
    public init?(line rawLine: Substring) {
        var line = Array(rawLine.utf8)
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
    }

    public static func parse(file contents: String) -> [IgnorePattern] {
        contents.split(separator: "\n", omittingEmptySubsequences: false).compactMap(IgnorePattern.init(line:))
    }

    /// `relativePath` is relative to the directory holding the ignore file; `basename` its last component.
    func matches(relativePath: ArraySlice<UInt8>, basename: ArraySlice<UInt8>, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        if matchesBasename { return Wildmatch.matches(glob, Array(basename)) }
        return Wildmatch.matches(glob, Array(relativePath))
    }
}
