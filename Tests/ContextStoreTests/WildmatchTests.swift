import Testing
@testable import ContextStore

@Suite struct WildmatchTests {
    @Test(arguments: [
        ("foo", "foo", true), ("foo", "bar", false), ("*", "foo", true), ("*", "foo/bar", false),
        ("f*", "foo", true), ("*o", "foo", true), ("f?o", "foo", true), ("f?o", "f/o", false),
        ("**", "a/b/c", true), ("**/foo", "foo", true), ("**/foo", "a/b/foo", true), ("**/foo", "a/foo/b", false),
        ("a/**/b", "a/b", true), ("a/**/b", "a/x/y/b", true), ("a/**", "a/x/y", true), ("a/**", "a", false),
        ("a/*/b", "a/x/b", true), ("a/*/b", "a/x/y/b", false), ("x**y", "xay", true), ("x**y", "xa/y", false),
        ("[abc]", "b", true), ("[!abc]", "b", false), ("[^abc]", "d", true), ("[a-c]x", "bx", true),
        ("[]]", "]", true), ("[[:digit:]]*", "9lives", true), ("[[:alpha:]]", "1", false),
        ("\\*", "*", true), ("\\*", "a", false), ("*.txt", "notes.txt", true), ("*.txt", "dir/notes.txt", false),
        ("[a/b]", "/", false), ("foo/", "foo", false),
    ])
    func matchesLikeGit(pattern: String, text: String, expected: Bool) {
        #expect(Wildmatch.matches(pattern, text) == expected, "\(pattern) vs \(text)")
    }

    @Test func patternParsing() throws {
        let negated = try #require(IgnorePattern(line: "!/build/"))
        #expect(negated.negated && negated.directoryOnly && !negated.matchesBasename)
        #expect(String(decoding: negated.glob, as: UTF8.self) == "build")
        #expect(IgnorePattern(line: "# comment") == nil)
        #expect(IgnorePattern(line: "   ") == nil)
        let escapedSpace = try #require(IgnorePattern(line: "name\\ "))
        #expect(String(decoding: escapedSpace.glob, as: UTF8.self) == "name\\ ")
        #expect(try #require(IgnorePattern(line: "a/b")).matchesBasename == false)
        #expect(try #require(IgnorePattern(line: "*.o  ")).glob == Array("*.o".utf8))
    }
}
