/// The patterns of one ignore file, bucketed so that a path is tried only against the patterns
/// that could match it: literal names and paths are looked up by their bytes, and the other
/// patterns are filed by what every text they match must have — the basename's extension, else
/// the first byte — so only patterns opening with a wildcard and without an extension are tried
/// for every path. A 10,000-line ignore file then costs about what a short one does.
///
/// Every pattern keeps its line's position, and the last matching line wins, so a lookup takes the
/// highest matching position over the buckets it consults (each tried from its end down to the
/// best position found so far).
struct IgnoreList {
    private(set) var patterns: [IgnorePattern] = []
    private var byBasename: [[UInt8]: [Int]] = [:]
    private var byPath: [[UInt8]: [Int]] = [:]
    private var byExtension: [[UInt8]: [Int]] = [:]
    /// By the first byte of the basename (patterns without `/`) or of the relative path.
    private var byFirstBasenameByte: [UInt8: [Int]] = [:]
    private var byFirstPathByte: [UInt8: [Int]] = [:]
    /// Patterns that fit no bucket, tried for every path.
    private var unfiled: [Int] = []

    var isEmpty: Bool { patterns.isEmpty }

    mutating func append(contentsOf newPatterns: [IgnorePattern]) {
        for pattern in newPatterns {
            let position = patterns.count
            patterns.append(pattern)
            switch pattern.shape {
            case .literal where pattern.matchesBasename: byBasename[pattern.glob, default: []].append(position)
            case .literal: byPath[pattern.glob, default: []].append(position)
            case .anyDepth(let name): byBasename[name, default: []].append(position)
            case .suffix, .wildcard:
                if let ext = pattern.basenameExtension {
                    byExtension[Array(ext), default: []].append(position)
                } else if let first = pattern.firstByte {
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
        let basenameBytes = Array(basename)
        consider(byBasename[basenameBytes])
        if !byPath.isEmpty { consider(byPath[Array(relativePath)]) }
        if !byExtension.isEmpty, let dot = basename.lastIndex(of: UInt8(ascii: ".")) {
            consider(byExtension[Array(basename[(dot + 1)...])])
        }
        if let first = basename.first { consider(byFirstBasenameByte[first]) }
        if let first = relativePath.first { consider(byFirstPathByte[first]) }
        consider(unfiled)
        return best >= 0 ? patterns[best] : nil
    }
}
