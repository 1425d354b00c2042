import ContextStore
import Foundation
import REPL
import Testing
import TestSupport

@Suite struct ReplContextTests {
    /// Python's view of the context, printed as JSON by a cell.
    struct PythonView: Decodable {
        var length: Int
        var sha: String
        /// Of `exact_text(0, len(context))`.
        var exactSha: String
        var docs: [[String]]
    }

    static let view = """
        import hashlib, json
        print(json.dumps({"length": len(context), "sha": hashlib.sha256(context.encode("utf-8")).hexdigest(),
                          "exactSha": hashlib.sha256(exact_text(0, len(context)).encode("utf-8")).hexdigest(),
                          "docs": [[d.path, str(d.start), str(d.end), str(d.lines), d.kind] for d in docs]}))
        """

    /// `text` with each char above U+FFFF as U+FFFD, as `context` holds it by default.
    static func standingIn(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value > 0xFFFF ? "\u{FFFD}" : $0 }))
    }

    /// Python printing whether `context` is equal (`==`, so also of the same width) to its exact
    /// text, each char above U+FFFF stood for by U+FFFD unless `exact`.
    static func equalsItsText(exact: Bool) -> String {
        let text = "exact_text(0, len(context))"
        return exact ? "print(context == \(text))"
            : "print(context == ''.join('\\ufffd' if ord(c) > 0xFFFF else c for c in \(text)))"
    }

    static func sha256(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.path + "/rlmd-sha-\(UUID().uuidString)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return String(try Fixture.run("/usr/bin/env", ["sha256sum", file]).prefix(64))
    }

    /// One fixture per width of CPython's str (1, 1, 2 and 4 bytes per char).
    @Test(arguments: [
        ("ascii", ["a.py": "def a():\n    return 1\n", "b.txt": "plain\n"]),
        // ASCII contexts are read in two halves: one record split by the cut, and many small ones.
        ("ascii-one-record", ["big.txt": String(repeating: "0123456789abcdef\n", count: 999)]),
        ("ascii-many", Dictionary(uniqueKeysWithValues: (0..<37).map { ("f\($0).txt", String(repeating: "line \($0)\n", count: $0)) })),
        ("latin1", ["a.py": "# café\nx = 'naïve'\n", "b.txt": "plain\n"]),
        ("ucs2", ["a.md": "arrows → and λ\n", "b.txt": "ok"]),
        ("ucs4", ["a.md": "emoji 😀 here\n", "b.txt": "é → 😀\n", "c.txt": "last"]),
    ])
    func contextIsTheSnapshotsStringForEveryCharWidth(name: String, files: [String: String]) async throws {
        let fixture = try Fixture()
        for (path, text) in files { try fixture.write(path, text) }
        try fixture.index()
        let snapshot = try fixture.snapshot()
        let whole = snapshot.wholeContext
        let astral = whole.unicodeScalars.filter { $0.value > 0xFFFF }.count
        for (exact, prepared) in [(false, false), (true, false), (false, true)] {
            if prepared { #expect(ReplContext.store(snapshot).prepareCopy(exactText: false)) }
            let repl = Harness.repl(.store(snapshot)) { $0.exactText = exact }
            let ready = try await repl.start()
            // A snapshot's str is the store's copy, mapped (made by the first REPL, or ahead as the
            // daemon does), or a 1-byte str where every char is Latin-1, as CPython would make it;
            // exact non-ASCII text is built from the records.
            let ascii = whole.utf8.count == whole.unicodeScalars.count
            let latin1 = whole.unicodeScalars.allSatisfy { $0.value < 0x100 }
            let load = ascii ? "mapped" : exact ? "filled" : latin1 ? "narrowed" : "mapped"
            #expect(ready.load == load, "\(name)")
            let same = try await repl.execute(Self.equalsItsText(exact: exact))
            #expect(same.stdout == "True\n", "\(name): \(same.stdout) \(same.error ?? "")")
            #expect(ready.chars == snapshot.totalChars && ready.standins == (exact ? 0 : astral))
            let result = try await repl.execute(Self.view)
            await repl.close()
            let view = try JSONDecoder().decode(PythonView.self, from: Data(result.stdout.utf8))
            #expect(view.length == snapshot.totalChars)
            #expect(view.sha == (try Self.sha256(exact ? whole : Self.standingIn(whole))), "\(name) exact: \(exact)")
            #expect(view.exactSha == (try Self.sha256(whole)))
            let expected = snapshot.documents.map {
                [$0.path, String($0.charOffset), String($0.charOffset + $0.charLength), String($0.lineCount), $0.kind]
            }
            #expect(view.docs == expected)
        }
        // The same text decoded piece by piece (as a child RLM's text context is, or a store whose
        // copy cannot be written) holds the same stand-ins.
        let text = Harness.repl(.text(whole))
        let ready = try await text.start()
        #expect(ready.standins == astral && ready.load == (astral > 0 ? "filled-bmp" : "filled"), "\(name): \(ready.load)")
        let view = try JSONDecoder().decode(PythonView.self, from: Data(try await text.execute(Self.view).stdout.utf8))
        let same = try await text.execute(Self.equalsItsText(exact: false))
        #expect(same.stdout == "True\n", "\(name) as text: \(same.stdout) \(same.error ?? "")")
        await text.close()
        let (standingInSha, exactSha) = (try Self.sha256(Self.standingIn(whole)), try Self.sha256(whole))
        #expect(view.sha == standingInSha && view.exactSha == exactSha, "\(name)")
    }

    /// Chars above U+FFFF stand as U+FFFD in `context`, one each, so offsets hold; what the model asks
    /// for by name or pattern comes back exact.
    @Test func astralCharsComeBackExactFromReadGrepAndExactText() async throws {
        let fixture = try Fixture()
        try fixture.write("a.md", "rocket 🚀 launch\nplain line\nflags 🇫🇷 and 𝔘 here\n")
        try fixture.write("b.py", "x = 'é → λ'\n")
        try fixture.index()
        let snapshot = try fixture.snapshot()
        let a = try #require(snapshot.documents.first { $0.path == "a.md" })
        let results = try await Harness.run([
            "d = docs[0]\nprint(d.path, len(context[d.start:d.end]), context[d.start:d.end].count('\\ufffd'))",
            "print(read('a.md') == exact_text(d.start, d.end), read('a.md', 3, 3))",
            "grep('🚀')",
            "grep('🇫🇷 and .')",
            "grep('launch')",
            "[(p, n) for p, n, _ in grep('\\ufffd')]",
            "exact_text(d.start + 7, d.start + 8), context[d.start + 7]",
            "len(exact_text(-5, None)), exact_text(5, 2)",
        ], context: .store(snapshot))
        #expect(results.allSatisfy { $0.error == nil }, "\(results.map { $0.error ?? "" })")
        #expect(results[0].stdout == "a.md \(a.charLength) 4\n")
        #expect(results[1].stdout == "True flags 🇫🇷 and 𝔘 here\n\n")
        #expect(results[2].stdout == "[('a.md', 1, 'rocket 🚀 launch')]\n")
        #expect(results[3].stdout == "[('a.md', 3, 'flags 🇫🇷 and 𝔘 here')]\n")
        #expect(results[4].stdout == "[('a.md', 1, 'rocket 🚀 launch')]\n")
        // A search for the stand-in itself finds where context holds one: the chars are not U+FFFD.
        #expect(results[5].stdout == "[]\n")
        #expect(results[6].stdout == "('🚀', '\u{FFFD}')\n")
        #expect(results[7].stdout == "(5, '')\n")
    }

    /// A real U+FFFD beside an astral char: only the astral one is a stand-in, and both come back.
    @Test func aRealReplacementCharIsNotTakenForAStandIn() async throws {
        let fixture = try Fixture()
        try fixture.write("c.txt", "real \u{FFFD} then 🚀 and 𝔘\n")
        try fixture.write("d.txt", "only 🚀 here\n")
        try fixture.index()
        let results = try await Harness.run([
            "print(repr(exact_text(docs[0].start, docs[0].end)), repr(exact_text(docs[1].start, docs[1].end)))",
            "print(context[docs[0].start:docs[0].end].count('\\ufffd'), len(context))",
        ], context: .store(try fixture.snapshot()))
        #expect(results.allSatisfy { $0.error == nil }, "\(results.map { $0.error ?? "" })")
        #expect(results[0].stdout == "'real \u{FFFD} then 🚀 and 𝔘\\n' 'only 🚀 here\\n'\n")
        #expect(results[1].stdout == "3 \(try fixture.snapshot().totalChars)\n")
    }

    /// The store's copy follows refreshes: a new snapshot gets its own, the previous one is kept (a
    /// conversation over it may start REPLs), older ones and an older rlmd's go; a copy cut short is
    /// written again.
    @Test func theCopyFollowsARefresh() async throws {
        let fixture = try Fixture()
        try fixture.write("a.md", "first 🚀 version\n")
        try fixture.index()
        let before = try fixture.snapshot()
        let first = Harness.repl(.store(before))
        #expect(try await first.execute("print(exact_text(0, len(context)))").stdout.contains("first 🚀 version"))
        await first.close()
        try fixture.write("a.md", "second → version with 😀 and 🚀\n")
        try fixture.index()
        #expect(FileManager.default.createFile(atPath: before.location.directory + "/context-bmp-1.u16", contents: Data("old".utf8)))  // an older rlmd's copy
        let after = try fixture.snapshot()
        let second = Harness.repl(.store(after))
        let ready = try await second.start()
        let text = try await second.execute("print(exact_text(0, len(context)))").stdout
        // The mapped str outlives every name the model gives it, and a new str made from it is ordinary.
        let dropped = try await second.execute("""
            kept = context[:]
            del context
            import gc; gc.collect()
            print(len(kept), ascii(kept[-8:]), (kept + "!").count("\u{FFFD}"))
            """).stdout
        await second.close()
        #expect(ready.load == "mapped" && ready.standins == 2)
        #expect(dropped == "\(after.totalChars) '\\ufffd and \\ufffd\\n' 2\n", "\(dropped)")
        #expect(text.contains("second → version with 😀 and 🚀") && !text.contains("first"), "\(text)")
        func copies() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: after.location.directory)
                .filter { $0.hasPrefix("context-copy-") || $0.hasPrefix("context-bmp-") }.sorted()
        }
        let both = try copies()
        #expect(both.count == 2, "\(both)")
        try fixture.write("a.md", "third 🚀\n")
        try fixture.index()
        let latest = try fixture.snapshot()
        #expect(ReplContext.store(latest).prepareCopy(exactText: false))
        let kept = try copies()
        #expect(kept.count == 2, "\(kept)")
        // Cut short, as by a crash: it is written again, not mapped.
        let newest = try #require(try kept.max { try modified($0) < modified($1) })
        let path = after.location.directory + "/" + newest
        #expect(truncate(path, 10) == 0)
        let repl = Harness.repl(.store(latest))
        #expect(try await repl.start().load == "mapped")
        let third = try await repl.execute("print(exact_text(0, len(context)), end='')").stdout
        #expect(third.hasSuffix("third 🚀\n") && !third.contains("second"), "\(third)")
        await repl.close()
        func modified(_ name: String) throws -> Date {
            try FileManager.default.attributesOfItem(atPath: after.location.directory + "/" + name)[.modificationDate] as? Date ?? .distantPast
        }
    }

    /// A copy whose size is right but whose table lies (a bit flipped, a stray write) is not trusted:
    /// the runtime builds `context` from the records; and exact text of non-ASCII needs no copy.
    @Test func aCopyTheRuntimeCannotUseIsReadFromTheRecords() async throws {
        let fixture = try Fixture()
        try fixture.write("a.md", "emoji 😀 and → here\n")
        try fixture.index()
        let snapshot = try fixture.snapshot()
        #expect(!ReplContext.store(snapshot).prepareCopy(exactText: true))
        #expect(ReplContext.store(snapshot).prepareCopy(exactText: false))
        let directory = snapshot.location.directory
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("context-copy-") })
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/" + name))
        try handle.seek(toOffset: UInt64(snapshot.totalChars * 2 + 8))
        try handle.write(contentsOf: withUnsafeBytes(of: Int64(1000).littleEndian) { Data($0) })  // 1000 stand-ins, room for 1
        try handle.close()
        let repl = Harness.repl(.store(snapshot))
        let ready = try await repl.start()
        let text = try await repl.execute("print(exact_text(0, len(context)), end='')").stdout
        await repl.close()
        #expect(ready.load == "filled-bmp" && ready.standins == 1, "\(ready.load)")
        #expect(text.hasSuffix("emoji 😀 and → here\n"), "\(text)")
    }

    @Test func contextFollowsRecordsAppendedOutOfFileOrderByARefresh() async throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "first version of a\n")
        try fixture.write("b.txt", "b stays → the same\n")
        try fixture.write("c.txt", "c\n")
        try fixture.index()
        try fixture.write("a.txt", "second, longer version of a, with ü\n")
        try fixture.index()
        let snapshot = try fixture.snapshot()
        let results = try await Harness.run([Self.view, "read('a.txt')"], context: .store(snapshot))
        let view = try JSONDecoder().decode(PythonView.self, from: Data(results[0].stdout.utf8))
        #expect(view.sha == (try Self.sha256(snapshot.wholeContext)))
        #expect(results[1].stdout == "'second, longer version of a, with ü\\n'\n")
    }

    @Test func readGrepAndSearchAgreeWithTheStore() async throws {
        let fixture = try Fixture()
        try fixture.write("src/app.py", "import os\n\ndef main():\n    return os.getcwd()\n\ndef helper():\n    pass\n")
        try fixture.write("src/util.py", "def main_util():\n    return 'zanzibar'\n")
        try fixture.write("README.md", "# app\ndef is mentioned here\n")
        try fixture.index()
        let snapshot = try fixture.snapshot()
        let results = try await Harness.run([
            "print(read('src/app.py', 3, 4), end='')",
            "grep(r'^def \\w+', '*.py')",
            "grep('def', max_hits=2)",
            "hits = search('zanzibar', k=5)\nprint(hits[0]['path'], hits[0]['line'])",
            "read('app.py')",
            "len(read('src/util.py')) == docs[-1].end - docs[-1].start",
        ], context: .store(snapshot))
        #expect(results[0].stdout == (try snapshot.lines(path: "src/app.py", startLine: 3, endLine: 4)))
        #expect(results[1].stdout == "[('src/app.py', 3, 'def main():'), ('src/app.py', 6, 'def helper():'), ('src/util.py', 1, 'def main_util():')]\n")
        #expect(results[2].stdout == "[('README.md', 2, 'def is mentioned here'), ('src/app.py', 3, 'def main():')]\n")
        #expect(results[3].stdout == "src/util.py 2\n")
        #expect(results[4].error?.contains("no document 'app.py'; did you mean ['src/app.py']?") == true)
        #expect(results[5].stdout == "True\n")
    }

    @Test func aTextContextIsOneDocumentWithoutSearch() async throws {
        let results = try await Harness.run([
            "print(len(context), docs[0].lines, docs[0].path)",
            "context[1:5]",
            "search('x')",
        ], context: .text("héllo 😀\nworld", name: "piece"))
        #expect(results[0].stdout == "13 2 piece\n")
        #expect(results[1].stdout == "'éllo'\n")
        #expect(results[2].error?.contains("search needs an indexed context") == true)
    }

    @Test func anEmptyStoreGivesAnEmptyContext() async throws {
        let fixture = try Fixture()
        try fixture.index()
        let results = try await Harness.run(["print(repr(context), docs)"], context: .store(try fixture.snapshot()))
        #expect(results[0].stdout == "'' []\n")
    }
}
