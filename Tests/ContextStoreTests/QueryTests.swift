import Foundation
import Testing
import TestSupport
@testable import ContextStore

@Suite struct QueryTests {
    static func makeFixture() throws -> Fixture {
        let fixture = try Fixture()
        try fixture.write("src/retry.py", """
            import time

            def retry(fn, attempts=3):
                for attempt in range(attempts):
                    try:
                        return fn()
                    except IOError:
                        time.sleep(2 ** attempt)
                raise RuntimeError("gave up")
            """)
        try fixture.write("src/ünï.txt", "héllo wörld\nzweite Zeile 😀 hier\n")
        try fixture.write("docs/guide.md", "# Guide\n\nCall retry() when the network fails.\nTODO: document backoff\n")
        try fixture.write("tests/test_retry.py", "from src.retry import retry\n\ndef test_retry():\n    assert retry(lambda: 1) == 1\n")
        try fixture.index()
        return fixture
    }

    @Test func sliceAcrossRecordsMatchesWholeContext() throws {
        let fixture = try Self.makeFixture()
        let snapshot = try fixture.snapshot()
        let whole = Array(snapshot.wholeContext.unicodeScalars)
        for (start, length) in [(0, 10), (5, 200), (snapshot.totalChars - 7, 7), (40, 1), (0, snapshot.totalChars)] {
            let expected = String(String.UnicodeScalarView(whole[start..<(start + length)]))
            #expect(snapshot.slice(chars: start..<(start + length)) == expected)
        }
        #expect(snapshot.slice(chars: -5..<0) == "")
        #expect(snapshot.slice(chars: snapshot.totalChars..<(snapshot.totalChars + 10)) == "")
        try IndexerTests.checkOffsets(snapshot, root: fixture.root)
    }

    @Test func offsetsRoundTripThroughLocations() throws {
        let fixture = try Self.makeFixture()
        let snapshot = try fixture.snapshot()
        let whole = snapshot.wholeContext
        let scalars = Array(whole.unicodeScalars)
        let target = try #require(whole.range(of: "Zeile"))
        let offset = whole.unicodeScalars.distance(from: whole.unicodeScalars.startIndex, to: target.lowerBound)
        #expect(String(String.UnicodeScalarView(scalars[offset..<(offset + 5)])) == "Zeile")
        let location = try snapshot.location(ofChar: offset)
        #expect(location == ContextLocation(path: "src/ünï.txt", line: 2, column: 8))
        #expect(try snapshot.charOffset(path: "src/ünï.txt", line: 2, column: 8) == offset)
        let header = try #require(snapshot.document(path: "docs/guide.md"))
        #expect(try snapshot.location(ofChar: header.recordCharOffset).line == 0)
        #expect(try snapshot.location(ofChar: header.charOffset) == ContextLocation(path: "docs/guide.md", line: 1, column: 1))
        #expect(throws: StoreError.self) { try snapshot.location(ofChar: snapshot.totalChars) }
        #expect(throws: StoreError.self) { try snapshot.charOffset(path: "nope", line: 1) }
    }

    @Test func readsLineRanges() throws {
        let fixture = try Self.makeFixture()
        let snapshot = try fixture.snapshot()
        #expect(try snapshot.lines(path: "src/retry.py", startLine: 3, endLine: 4)
                == "def retry(fn, attempts=3):\n    for attempt in range(attempts):\n")
        #expect(try snapshot.lines(path: "src/retry.py", startLine: 9) == "    raise RuntimeError(\"gave up\")")
        #expect(try snapshot.lines(path: "src/retry.py", startLine: 8, endLine: 100).hasSuffix("gave up\")"))
        #expect(throws: StoreError.self) { try snapshot.lines(path: "src/retry.py", startLine: 10) }
        #expect(throws: StoreError.self) { try snapshot.lines(path: "src/missing.py") }
    }

    @Test func grepRegexGlobCaseAndLimits() throws {
        let fixture = try Self.makeFixture()
        let snapshot = try fixture.snapshot()
        let defs = try snapshot.grep("^def \\w+\\(")
        #expect(defs == [
            GrepMatch(path: "src/retry.py", line: 3, text: "def retry(fn, attempts=3):"),
            GrepMatch(path: "tests/test_retry.py", line: 3, text: "def test_retry():"),
        ])
        #expect(try snapshot.grep("retry", options: GrepOptions(pathGlob: "*.md")).map(\.line) == [3])
        #expect(try snapshot.grep("retry", options: GrepOptions(pathGlob: "!*.py")).map(\.path) == ["docs/guide.md"])
        #expect(try snapshot.grep("retry", options: GrepOptions(pathGlob: "tests/**")).count == 3)
        #expect(try snapshot.grep("todo", options: GrepOptions(ignoreCase: true)).map(\.text) == ["TODO: document backoff"])
        #expect(try snapshot.grep("2 ** attempt", options: GrepOptions(fixedString: true)).map(\.line) == [8])
        #expect(try snapshot.grep("\\d+ \\*\\*").map(\.line) == [8])
        #expect(try snapshot.grep("retry", options: GrepOptions(maxHits: 2)).count == 2)
        #expect(try snapshot.grep("Zeile 😀").map(\.line) == [2])
        #expect(try snapshot.grep("nothing-like-this").isEmpty)
        #expect(throws: StoreError.self) { try snapshot.grep("(unclosed") }
        // One hit per line, even with several matches on it.
        #expect(try snapshot.grep("t").filter { $0.path == "tests/test_retry.py" }.map(\.line) == [1, 3, 4])
    }

    @Test func searchRanksAndExplains() throws {
        let fixture = try Self.makeFixture()
        let snapshot = try fixture.snapshot()
        let hits = try snapshot.search("retry attempts")
        #expect(hits.first?.path == "src/retry.py")
        #expect(hits.first?.line == 3)
        #expect(hits.first.map { $0.score > 0 } == true)
        #expect(try snapshot.search("backoff").map(\.path) == ["docs/guide.md"])
        #expect(try snapshot.search("guide").first?.path == "docs/guide.md")  // path terms count
        #expect(try snapshot.search("\"unbalanced AND (").map(\.path).contains("docs/guide.md") == false)
        #expect(try snapshot.search("!!!").isEmpty)
        #expect(try snapshot.search("retr*", raw: true).count == 3)
        #expect(throws: StoreError.self) { try snapshot.search("\"unbalanced", raw: true) }
    }
}
