import Foundation
import GRDB
import Testing
import TestSupport
@testable import ContextStore

@Suite struct IndexerTests {
    /// Every document's content sits at its char offset in the logical context, after its header.
    static func checkOffsets(_ snapshot: ContextSnapshot, root: String) throws {
        let whole = Array(snapshot.wholeContext.unicodeScalars)
        #expect(whole.count == snapshot.totalChars)
        var expectedRecordStart = 0
        for document in snapshot.documents {
            #expect(document.recordCharOffset == expectedRecordStart, "\(document.path)")
            let header = String(String.UnicodeScalarView(whole[document.recordCharOffset..<document.charOffset]))
            #expect(header == Document.header(path: document.path))
            let content = String(String.UnicodeScalarView(whole[document.charOffset..<(document.charOffset + document.charLength)]))
            #expect(content == snapshot.text(of: document), "\(document.path)")
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(document.path)"))
            #expect(content == String(decoding: onDisk, as: UTF8.self), "\(document.path)")
            expectedRecordStart = document.charEnd
        }
    }

    @Test func indexesTextAndSkipsByReason() throws {
        let fixture = try Fixture()
        try fixture.write("src/app.py", "def main():\n    return 42\n")
        try fixture.write("dir with space/naïve 😀.txt", "unicode path\n")
        try fixture.write("crlf.txt", "one\r\ntwo\r\n")
        try fixture.write("invalid.txt", Data([0x61, 0xFF, 0x62, 0x0A]))
        try fixture.write("image.png", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
        try fixture.write("big.txt", String(repeating: "x", count: 2000))
        try fixture.write("empty.txt", "")
        try fixture.write("no-newline.txt", "last line")
        #expect(mkfifo(fixture.root + "/pipe", 0o644) == 0)

        let report = try fixture.index(maxFileBytes: 1000)
        #expect(report.files == 6)
        #expect(report.skipped["binary"] == 1)
        #expect(report.skipped["too_large"] == 1)
        #expect(report.skipped["not_regular"] == 1)
        #expect(report.invalidUTF8 == 1)
        #expect(report.changed == 6)
        #expect(!report.git)

        let snapshot = try fixture.snapshot()
        #expect(Set(snapshot.documents.map(\.path)) == [
            "src/app.py", "dir with space/naïve 😀.txt", "crlf.txt", "invalid.txt", "empty.txt", "no-newline.txt",
        ])
        let app = try #require(snapshot.document(path: "src/app.py"))
        #expect(app.language == "python" && app.lineCount == 2 && app.kind == "file")
        #expect(app.sha256 == SHA256.hex(SHA256.hash(Array("def main():\n    return 42\n".utf8))))
        #expect(snapshot.text(of: try #require(snapshot.document(path: "invalid.txt"))) == "a\u{FFFD}b\n")
        #expect(try snapshot.lines(path: "crlf.txt", startLine: 2, endLine: 2) == "two\r\n")
        let invalid = try #require(snapshot.document(path: "invalid.txt"))
        #expect(invalid.invalidUTF8 == 1)
        // The on-disk check does not hold for the repaired file; check the rest.
        let whole = snapshot.wholeContext
        #expect(whole.contains("==> dir with space/naïve 😀.txt <==\nunicode path\n"))
        #expect(whole.contains("==> no-newline.txt <==\nlast line\n==> "))
    }

    @Test func refreshSeesEditAddDeleteRename() throws {
        let fixture = try Fixture()
        for i in 0..<20 { try fixture.write("f\(i).txt", "file \(i) ünïcode\n") }
        try fixture.ageAll()
        #expect(try fixture.index().changed == 20)
        let unchanged = try fixture.index()
        #expect(unchanged.changed == 0 && unchanged.files == 20)

        try fixture.write("f3.txt", "edited three\nwith two lines\n")
        try fixture.write("new.txt", "brand new\n")
        try fixture.remove("f5.txt")
        try fixture.move("f7.txt", "renamed.txt")
        try fixture.ageAll()
        let report = try fixture.index()
        #expect(report.files == 20)
        // f3 modified, new.txt added, f5 removed, f7 removed + renamed.txt added.
        #expect(report.changed == 5)
        #expect(report.removed == 2)

        // The running totals in meta agree with the rows.
        let sums = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Row.fetchOne(db, sql: "SELECT count(*), sum(byte_length), sum(tokens) FROM documents")!
        }
        let (count, bytes, tokens): (Int, Int, Int) = (sums[0], sums[1], sums[2])
        #expect(report.files == count && report.bytes == bytes && report.tokens == tokens)

        let snapshot = try fixture.snapshot()
        #expect(snapshot.document(path: "f5.txt") == nil && snapshot.document(path: "f7.txt") == nil)
        #expect(try snapshot.lines(path: "f3.txt") == "edited three\nwith two lines\n")
        #expect(try snapshot.lines(path: "renamed.txt") == "file 7 ünïcode\n")
        try Self.checkOffsets(snapshot, root: fixture.root)
        #expect(try snapshot.search("edited").first?.path == "f3.txt")
        #expect(try snapshot.search("three").map(\.path) == ["f3.txt"])
        #expect(try snapshot.search("file", limit: 100).count == 18)
        #expect(try fixture.index().changed == 0)
    }

    @Test func touchedButIdenticalFileIsNotRewritten() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "same\n")
        try fixture.age("a.txt", seconds: 100)
        try fixture.index()
        try fixture.age("a.txt", seconds: 50)
        let report = try fixture.index()
        #expect(report.changed == 0)
    }

    @Test func readersKeepTheirSnapshotDuringRefresh() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "version one\n")
        try fixture.write("b.txt", "bee\n")
        try fixture.index()
        let before = try fixture.snapshot()
        try fixture.write("a.txt", "version two, longer\n")
        try fixture.remove("b.txt")
        try fixture.age("a.txt")
        try fixture.index()
        #expect(try before.lines(path: "a.txt") == "version one\n")
        #expect(try before.lines(path: "b.txt") == "bee\n")
        #expect(before.wholeContext == "==> a.txt <==\nversion one\n==> b.txt <==\nbee\n")
        let after = try fixture.snapshot()
        #expect(after.wholeContext == "==> a.txt <==\nversion two, longer\n")
    }

    @Test func compactionRewritesWithoutDeadRecords() throws {
        let fixture = try Fixture()
        let big = String(repeating: "payload line\n", count: 20_000)  // 260 KB
        for i in 0..<4 { try fixture.write("doc\(i).txt", big + "doc \(i)\n") }
        try fixture.ageAll()
        try fixture.index()
        var generations = Set<Int>()
        for round in 0..<6 {
            try fixture.write("doc\(round % 4).txt", big + "round \(round)\n")
            try fixture.ageAll()
            try fixture.index()
            let meta = try DatabaseQueue(path: fixture.store.databasePath).read(StoreMeta.load)
            generations.insert(meta.generation)
            #expect(meta.deadBytes <= meta.contextBytes)
        }
        #expect(generations.count > 1, "no compaction happened")
        let contextFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.store.directory).filter { $0.hasPrefix("context-") }
        #expect(contextFiles.count == 1)
        let snapshot = try fixture.snapshot()
        try Self.checkOffsets(snapshot, root: fixture.root)
        #expect(try snapshot.grep("round 5").map(\.path) == ["doc1.txt"])
    }

    @Test func gitWorkTreeUsesGitListing() throws {
        guard Fixture.hasGit else { return }
        let fixture = try Fixture(git: true)
        try fixture.write(".gitignore", "*.tmp\n")
        try fixture.write("tracked.swift", "let x = 1\n")
        try fixture.write("untracked.swift", "let y = 2\n")
        try fixture.write("ignored.tmp", "nope\n")
        try fixture.runGit("add", "tracked.swift", ".gitignore")
        try fixture.runGit("commit", "-qm", "init")
        let report = try fixture.index()
        #expect(report.git)
        #expect(report.files == 3)
        #expect(report.skipped["ignored"] == 1)
        try fixture.remove("tracked.swift")  // deleted from disk, still in git's index
        let after = try fixture.index()
        #expect(after.files == 2)
        #expect(after.skipped["vanished"] == 1)
    }

    @Test func damagedAndForeignDatabasesAreRebuilt() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "alpha\n")
        try fixture.index()
        try Data("this is not a database at all".utf8).write(to: URL(fileURLWithPath: fixture.store.databasePath))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.store.databasePath + suffix) }
        #expect(throws: StoreError.self) { try fixture.snapshot() }
        #expect(try fixture.index().files == 1)
        #expect(try fixture.snapshot().grep("alpha").count == 1)
        let aside = try FileManager.default.contentsOfDirectory(atPath: fixture.store.directory).filter { $0.contains("damaged") }
        #expect(!aside.isEmpty)

        // A foreign SQLite database in its place.
        try FileManager.default.removeItem(atPath: fixture.store.databasePath)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.store.databasePath + suffix) }
        let foreign = try DatabaseQueue(path: fixture.store.databasePath)
        try foreign.write { try $0.execute(sql: "CREATE TABLE people (name TEXT)") }
        try foreign.close()
        #expect(try fixture.index().files == 1)
    }

    @Test func truncatedContextFileIsRebuilt() throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "alpha\n")
        try fixture.index()
        let contextPath = fixture.store.contextFilePath(generation: 1)
        #expect(truncate(contextPath, 3) == 0)
        #expect(throws: StoreError.self) { try fixture.snapshot() }
        #expect(try fixture.index().files == 1)
        #expect(try fixture.snapshot().wholeContext == "==> a.txt <==\nalpha\n")
    }

    @Test func searchShardsAreRebuiltWhenMissingOrStale() throws {
        let fixture = try Fixture()
        for i in 0..<10 { try fixture.write("doc\(i).txt", "common word and unique\(i)\n") }
        try fixture.ageAll()
        try fixture.index()
        #expect(try fixture.snapshot().search("common", limit: 50).count == 10)

        // Shards lost: the next search rebuilds them; so does a refresh with no file changed.
        SearchShards.removeAll(fixture.store)
        #expect(try fixture.snapshot().search("common", limit: 50).count == 10)
        SearchShards.removeAll(fixture.store)
        #expect(try fixture.index().changed == 0)
        #expect(SearchShards.exist(fixture.store))
        #expect(try fixture.snapshot().search("common", limit: 50).count == 10)

        // A shard committed by a run that then died before the rows committed: stamps differ.
        let shard = try DatabaseQueue(path: SearchShards.path(fixture.store, shard: 1))
        try shard.write { try $0.execute(sql: "UPDATE stamp SET value = 'from-a-killed-run'") }
        try shard.close()
        try fixture.write("doc3.txt", "common word and changed3\n")
        try fixture.age("doc3.txt")
        #expect(try fixture.index().changed == 1)
        let snapshot = try fixture.snapshot()
        #expect(try snapshot.search("common", limit: 50).count == 10)
        #expect(try snapshot.search("unique3").isEmpty)
        #expect(try snapshot.search("changed3").map(\.path) == ["doc3.txt"])
        #expect(try snapshot.search("unique7").map(\.path) == ["doc7.txt"])

        // A shard that is not a database at all.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: SearchShards.path(fixture.store, shard: 0) + suffix) }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: SearchShards.path(fixture.store, shard: 0)))
        try fixture.write("doc4.txt", "common word and changed4\n")
        try fixture.age("doc4.txt")
        #expect(try fixture.index().changed == 1)
        #expect(try fixture.snapshot().search("common", limit: 50).count == 10)
    }

    @Test func storeOfAnotherWorkspaceIsRefused() throws {
        let one = try Fixture()
        try one.write("a.txt", "a\n")
        try one.index()
        let two = try Fixture()
        #expect(throws: StoreError.self) {
            try Indexer.refresh(root: two.root, location: one.store)
        }
    }
}
