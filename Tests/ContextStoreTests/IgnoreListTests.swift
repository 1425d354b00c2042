import Foundation
import Testing
import TestSupport
@testable import ContextStore

/// The bucketed ignore lists: the same answers as trying every line, in line order, at any size.
@Suite struct IgnoreListTests {
    /// Every line tried from the last, with `Wildmatch` alone: what `IgnoreList` must agree with.
    static func naiveVerdict(_ patterns: [IgnorePattern], path: String, isDirectory: Bool) -> Bool? {
        let bytes = Array(path.utf8)
        let basename = bytes[((bytes.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1)...]
        for pattern in patterns.reversed() where !pattern.directoryOnly || isDirectory {
            if Wildmatch.matches(pattern.glob, pattern.matchesBasename ? basename : bytes[...]) { return !pattern.negated }
        }
        return nil
    }

    static func rules(_ contents: String) throws -> (IgnoreRules, Fixture) {
        let fixture = try Fixture()
        try fixture.write(".gitignore", contents)
        var rules = IgnoreRules()
        rules.load(file: ".gitignore", directory: "", root: fixture.root)
        return (rules, fixture)
    }

    /// Lines in different buckets (extension, literal name, first byte, unfiled): the last matching line wins.
    @Test func theLastMatchingLineWinsAcrossBuckets() throws {
        // (lines, verdict for keep.log, verdict for sub/keep.log)
        let cases: [(String, Bool?, Bool?)] = [
            ("*.log\n!keep.log\n", false, false), ("!keep.log\n*.log\n", true, true),
            ("*.log\n!keep.log\nkeep*\n", true, true), ("keep*\n*.log\n!keep.log\n", false, false),
            ("!keep.log\n?eep.log\n", true, true), ("?eep.log\n!keep.log\n", false, false),
            ("*.log\n!**/keep.log\n", false, false), ("!/keep.log\n[k]eep.log\n", true, true),
            ("**/*.log\n!k*\n", false, false), ("keep.log/\n", nil, nil), ("!*.txt\n", nil, nil),
            ("*\n!*.log\n", false, false), ("!*.log\n*\n", true, true), ("*.log\n!/keep.log\n", false, true),
            ("/keep.log\n", true, nil), ("sub/keep.log\n", nil, true), ("sub/*.log\n!sub/keep*\n", nil, false),
            ("!sub/keep*\nsub/*.log\n", nil, true), ("**/**/keep.log\n!*.log\n", false, false),
        ]
        for (contents, top, nested) in cases {
            let (rules, _) = try Self.rules(contents)
            #expect(rules.verdict(path: "keep.log", isDirectory: false) == top, "\(contents.debugDescription)")
            #expect(rules.verdict(path: "sub/keep.log", isDirectory: false) == nested, "\(contents.debugDescription) in sub/")
        }
    }

    /// Long names go to the buckets keyed by 8 bytes of their literal ending or start; the order holds there too.
    @Test func theLastMatchingLineWinsAcrossLongNameBuckets() throws {
        let path = "docs/changelog-2024.md"
        let cases: [(String, Bool?)] = [
            ("*log-2024.md\n!changelog*\n", false), ("!changelog*\n*log-2024.md\n", true),
            ("docs/changelog*\n!*.md\n", false), ("!*.md\ndocs/changelog*\n", true),
            ("!docs/changelog-2024.md\nchang?log-2024.md\n", true), ("chang?log-2024.md\n!docs/changelog-2024.md\n", false),
            ("docs/*-2024.md\n!**/changelog-2024.md\n", false), ("!**/changelog-2024.md\ndocs/*-2024.md\n", true),
            ("*log-2025.md\nchangelog-2023*\ndocs/changelog-2024.m\n", nil), ("*[0-9].md\n!c*\n", false),
        ]
        for (contents, expected) in cases {
            let (rules, _) = try Self.rules(contents)
            #expect(rules.verdict(path: path, isDirectory: false) == expected, "\(contents.debugDescription)")
        }
    }

    /// A tree 40 folders deep under twenty-four `**/` then `keep`: exactly the files named `keep`
    /// and everything inside folders named `keep` are left out (time is measured by benchmarks/ignore_bench.py).
    @Test func manyDoubleStarsOverADeepTree() throws {
        let fixture = try Fixture()
        try fixture.write(".gitignore", String(repeating: "**/", count: 24) + "keep\n")
        var expected: Set<String> = [".gitignore"]
        var folder = ""
        for depth in 0..<40 {
            folder += "d\(depth)/"
            for name in ["keeper", "x.txt", "keep.txt"] {
                try fixture.write(folder + name, "x")
                expected.insert(folder + name)
            }
            try fixture.write(folder + (depth % 10 == 5 ? "keep/inside.txt" : "keep"), "x")
        }
        let listing = WorkspaceScanner.list(root: fixture.root)
        let paths = Set(listing.files.map(\.path))
        #expect(paths == expected, "only ours: \(paths.subtracting(expected).sorted()), missing: \(expected.subtracting(paths).sorted())")
        #expect(listing.skipped[.ignored] == 40)
    }

    /// Hard lines (runs of `**/`, `a/**/b`, trailing `/**`, classes, escapes, negations) in a tree
    /// git lists too: our walker leaves out what git leaves out.
    @Test func hardLinesListLikeGit() throws {
        guard Fixture.hasGit else { return }
        let ignore = """
            **/**/**/keep
            a/**/b
            !a/x/b
            logs/**
            !logs/
            [[:digit:]]*.dat
            \\#literal
            \\!bang
            *[!a-m].o
            deep/**/*.tmp
            !deep/**/k*.tmp
            ü*.txt
            """
        let paths = [
            "keep", "x/keep", "x/y/z/keep", "keeper", "a/b", "a/x/b", "a/y/b", "a/x/y/b", "ab", "logs/one.txt",
            "logs/sub/two.txt", "1.dat", "x1.dat", "#literal", "!bang", "bang", "z.o", "a.o", "deep/q/r.tmp",
            "deep/q/k.tmp", "deep/k.tmp", "üb.txt", "ub.txt", "sub/üc.txt",
        ]
        func build(_ fixture: Fixture) throws {
            try fixture.write(".gitignore", ignore)
            for path in paths { try fixture.write(path, "x") }
        }
        let plain = try Fixture()
        try build(plain)
        let ours = Set(WorkspaceScanner.list(root: plain.root).files.map(\.path))
        let repository = try Fixture(git: true)
        try build(repository)
        let listed = try repository.runGit("-c", "core.quotePath=false", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        let gits = Set(listed.split(separator: "\0").map(String.init))
        #expect(ours == gits, "only ours: \(ours.subtracting(gits).sorted()), only git's: \(gits.subtracting(ours).sorted())")
        #expect(ours.contains("a/x/b") && !ours.contains("x/y/z/keep") && ours.contains("deep/q/k.tmp"))
    }

    /// Ten thousand generated lines of every kind over 300 files: the verdict for every file and
    /// folder, and the walker's file set, are the naive ones.
    @Test func tenThousandLinesAnswerAsTryingEveryLine() throws {
        var random = SplitMix(seed: 18)
        let folders = ["src", "lib", "docs", "build", "test", "a", "b", "vendor", "ünï", "node_modules"]
        let stems = ["main", "util", "f", "keep", "read", "é", "data", "x"]
        let extensions = ["txt", "log", "swift", "py", "md", "o", "tar.gz", "tmp"]
        // Lines name files of a universe larger than the tree, so most name no file and some file survives.
        var universe: [String] = []
        for i in 0..<10_000 {
            let depth = random.below(3)
            let folder = (0..<depth).map { _ in folders[random.below(folders.count)] }
            let name = "\(stems[random.below(stems.count)])\(i).\(extensions[random.below(extensions.count)])"
            universe.append((folder + [name]).joined(separator: "/"))
        }
        let files = Array(universe.prefix(300))
        var lines: [String] = []
        for _ in 0..<10_000 {
            let file = universe[random.below(universe.count)]
            let base = String(file.split(separator: "/").last!)
            let stem = base.split(separator: ".").first.map(String.init) ?? base
            let folder = folders[random.below(folders.count)]
            var line: String
            // Lines that drop whole kinds of files (an extension, a folder) are rare, as in real files.
            let broad = [3, 4, 6, 7, 10], narrow = [0, 1, 2, 5, 8, 9, 11]
            let kind = random.below(400) == 0 ? broad[random.below(broad.count)] : narrow[random.below(narrow.count)]
            switch kind {
            case 0: line = base
            case 1: line = file
            case 2: line = "/" + file
            case 3: line = "*." + extensions[random.below(extensions.count)]
            case 4: line = stem + "*"
            case 5: line = "**/" + base
            case 6: line = folder + "/"
            case 7: line = "\(folder)/**/*.\(extensions[random.below(extensions.count)])"
            case 8: line = "[a-m]" + String(base.dropFirst())
            case 9: line = String(base.dropLast()) + "?"
            case 10: line = "*" + stem.suffix(2) + "*"
            default: line = "\(folder)/*/" + base
            }
            if random.below(6) == 0 { line = "!" + line }
            lines.append(line)
        }
        let fixture = try Fixture()
        try fixture.write(".gitignore", lines.joined(separator: "\n") + "\n")
        for file in Set(files) { try fixture.write(file, "x") }
        var rules = IgnoreRules()
        rules.load(file: ".gitignore", directory: "", root: fixture.root)
        let patterns = IgnorePattern.parse(file: lines.joined(separator: "\n"))
        #expect(patterns.count == 10_000)

        var folderSet: Set<String> = []
        for file in files {
            var parts = file.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folderSet.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        var naive: [String: Bool?] = [:]
        var disagreements: [String] = []
        for (path, isDirectory) in files.map({ ($0, false) }) + folderSet.map({ ($0, true) }) {
            let verdict = Self.naiveVerdict(patterns, path: path, isDirectory: isDirectory)
            naive[path] = verdict
            if rules.verdict(path: path, isDirectory: isDirectory) != verdict { disagreements.append(path) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")

        // git never looks inside an excluded folder.
        func naivelyExcluded(_ path: String) -> Bool {
            if let slash = path.lastIndex(of: "/"), naivelyExcluded(String(path[..<slash])) { return true }
            return naive[path] == true
        }
        let expected = Set(files.filter { !naivelyExcluded($0) } + [".gitignore"])
        let listed = Set(WorkspaceScanner.list(root: fixture.root).files.map(\.path))
        #expect(listed == expected, "only listed: \(listed.subtracting(expected).prefix(5)), missing: \(expected.subtracting(listed).prefix(5))")
        #expect(expected.count > 100 && expected.count < Set(files).count - 100, "keeps \(expected.count) of \(Set(files).count)")
    }
}

/// A small deterministic generator (SplitMix64), so the generated ignore file is the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
