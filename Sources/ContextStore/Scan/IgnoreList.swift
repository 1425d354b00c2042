/// The patterns of one ignore file, bucketed so that a path is tried only against the patterns
/// that could match it. Literal names and paths are looked up by their bytes; every other pattern
/// is filed by what each text it matches must have, the most telling first: the last 8 bytes of
/// the literal it ends with, the first 8 of the literal it starts with, the basename's extension,
/// the first byte. Only patterns with none of these (`*x*`, `?`…) are tried for every path, so a
/// 10,000-line ignore file costs about what a short one does.
///
/// Every pattern keeps its line's position, and the last matching line wins, so a lookup takes the
/// highest matching position over the buckets it consults (each tried from its end down to the
/// best position found so far).
struct IgnoreList {
    private(set) var patterns: [IgnorePattern] = []
    private var byBasename: [[UInt8]: [Int]] = [:]
    private var byPath: [[UInt8]: [Int]] = [:]
    /// By the last `keyLength` bytes of the basename.
    private var byBasenameEnd: [UInt64: [Int]] = [:]
    /// By the first `keyLength` bytes of the basename (patterns without `/`) or of the relative path.
    private var byBasenameStart: [UInt64: [Int]] = [:]
    private var byPathStart: [UInt64: [Int]] = [:]
    private var byExtension: [[UInt8]: [Int]] = [:]
    private var byFirstBasenameByte: [UInt8: [Int]] = [:]
    private var byFirstPathByte: [UInt8: [Int]] = [:]
    /// Patterns that fit no bucket, tried for every path.
    private var unfiled: [Int] = []

    private static let keyLength = 8

    /// Up to 8 bytes packed into one integer (a dictionary key that needs no allocation).
    private static func key(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    var isEmpty: Bool { patterns.isEmpty }

    mutating func append(contentsOf newPatterns: [IgnorePattern]) {
        for pattern in newPatterns {
            let position = patterns.count
            patterns.append(pattern)
            file(pattern, at: position)
        }
    }

    private mutating func file(_ pattern: IgnorePattern, at position: Int) {
        switch pattern.shape {
        case .literal where pattern.matchesBasename: byBasename[pattern.glob, default: []].append(position)
        case .literal: byPath[pattern.glob, default: []].append(position)
        case .anyDepth(let name): byBasename[name, default: []].append(position)
        case .suffix, .wildcard:
            let tail = pattern.literalTail, head = pattern.literalHead
            if let tail, tail.count >= Self.keyLength {
                byBasenameEnd[Self.key(tail.suffix(Self.keyLength)), default: []].append(position)
            } else if head.count >= Self.keyLength {
                let key = Self.key(head.prefix(Self.keyLength))
                if pattern.matchesBasename {
                    byBasenameStart[key, default: []].append(position)
                } else {
                    byPathStart[key, default: []].append(position)
                }
            } else if let tail, let dot = tail.lastIndex(of: UInt8(ascii: ".")) {
                byExtension[Array(tail[(dot + 1)...]), default: []].append(position)
            } else if let first = head.first {
                if pattern.matchesBasename {
                    byFirstBasenameByte[first, default: []].append(position)
                } else {
                    byFirstPathByte[first, default: []].append(position)
                }
            } else {
                unfiled.append(position)
            }
        }
    }

    /// The last pattern matching `relativePath` (relative to the ignore file's directory), if any.
    func lastMatch(relativePath: ArraySlice<UInt8>, basename: ArraySlice<UInt8>, isDirectory: Bool) -> IgnorePattern? {
        var best = -1
        func consider(_ positions: [Int]?) {
            guard let positions else { return }
            for position in positions.reversed() {
                if position <= best { return }
                if patterns[position].matches(relativePath: relativePath, basename: basename, isDirectory: isDirectory) {
                    best = position
                    return
                }
            }
        }
        if !byBasename.isEmpty { consider(byBasename[Array(basename)]) }
        if !byPath.isEmpty { consider(byPath[Array(relativePath)]) }
        if basename.count >= Self.keyLength {
            if !byBasenameEnd.isEmpty { consider(byBasenameEnd[Self.key(basename.suffix(Self.keyLength))]) }
            if !byBasenameStart.isEmpty { consider(byBasenameStart[Self.key(basename.prefix(Self.keyLength))]) }
        }
        if relativePath.count >= Self.keyLength, !byPathStart.isEmpty {
            consider(byPathStart[Self.key(relativePath.prefix(Self.keyLength))])
        }
        if !byExtension.isEmpty, let dot = basename.lastIndex(of: UInt8(ascii: ".")) {
            consider(byExtension[Array(basename[(dot + 1)...])])
        }
        if let first = basename.first { consider(byFirstBasenameByte[first]) }
        if let first = relativePath.first { consider(byFirstPathByte[first]) }
        consider(unfiled)
        return best >= 0 ? patterns[best] : nil
    }
}
