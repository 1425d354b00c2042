import Foundation

/// The patterns of every ignore file of one kind (`.gitignore` or `.rlmignore`) in a tree,
/// keyed by the directory that holds them, with git's precedence: the deepest file that
/// has a matching pattern decides, and within a file the last matching pattern wins.
struct IgnoreRules {
    private var patternsByDirectory: [String: IgnoreList] = [:]
    private var excludedDirectories: [String: Bool] = [:]

    var isEmpty: Bool { patternsByDirectory.isEmpty }

    /// Adds the patterns of `file` in `directory` (relative to the root, "" for the root).
    /// A missing or unreadable file adds nothing.
    mutating func load(file: String, directory: String, root: String) {
        let path = directory.isEmpty ? "\(root)/\(file)" : "\(root)/\(directory)/\(file)"
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let patterns = IgnorePattern.parse(file: String(decoding: data, as: UTF8.self))
        guard !patterns.isEmpty else { return }
        patternsByDirectory[directory, default: IgnoreList()].append(contentsOf: patterns)
        excludedDirectories.removeAll()
    }

    /// The verdict of the patterns alone for `path`: true excluded, false re-included, nil no pattern matched.
    func verdict(path: String, isDirectory: Bool) -> Bool? {
        guard !patternsByDirectory.isEmpty else { return nil }
        let bytes = Array(path.utf8)
        let basenameStart = (bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
        let basename = bytes[basenameStart...]
        var directoryEnd = basenameStart - 1  // index of the '/' ending the current ancestor, -1 for the root
        while true {
            let directory = directoryEnd < 0 ? "" : String(decoding: bytes[..<directoryEnd], as: UTF8.self)
            if let patterns = patternsByDirectory[directory] {
                let relative = bytes[(directoryEnd + 1)...]
                if let pattern = patterns.lastMatch(relativePath: relative, basename: basename, isDirectory: isDirectory) {
                    return !pattern.negated
                }
            }
            if directoryEnd < 0 { return nil }
            directoryEnd = bytes[..<directoryEnd].lastIndex(of: UInt8(ascii: "/")) ?? -1
        }
    }

    /// Whether `path` is excluded by its own verdict or because an ancestor directory is
    /// (git never looks inside an excluded directory, so nothing in it can be re-included).
    mutating func isExcluded(path: String, isDirectory: Bool) -> Bool {
        guard !patternsByDirectory.isEmpty else { return false }
        if let slash = path.lastIndex(of: "/") {
            let parent = String(path[..<slash])
            if let cached = excludedDirectories[parent] {
                if cached { return true }
            } else {
                let parentExcluded = isExcluded(path: parent, isDirectory: true)
                excludedDirectories[parent] = parentExcluded
                if parentExcluded { return true }
            }
        }
        return verdict(path: path, isDirectory: isDirectory) == true
    }
}
