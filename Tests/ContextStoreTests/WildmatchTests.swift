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

    /// Sequences of `**/`, `a/**/b`, trailing `/**`, classes and escapes, as git's wildmatch answers.
    @Test(arguments: [
        ("**/**/foo", "foo", true), ("**/**/foo", "a/b/foo", true), ("**/**/foo", "a/foo/b", false),
        ("**/**/**", "a/b/c", true), ("a/**/**/b", "a/b", true), ("a/**/**/b", "a/x/y/z/b", true),
        ("a/**/**/b", "a/x/bb", false), ("**/a/**/b/**/c", "a/b/c", true), ("**/a/**/b/**/c", "x/a/y/b/z/z/c", true),
        ("**/a/**/b/**/c", "x/a/y/c/z/b", false),
        ("a/**/b", "ab", false), ("a/**/b", "a/bb", false), ("a/**/b", "a/x/b/c", false), ("a/**/b", "x/a/b", false),
        ("a/**", "a/b", true), ("a/**", "ab/c", false), ("a/**", "a/", true), ("**/a/**", "x/a/y/z", true), ("**/a/**", "a", false),
        ("a**", "a/b", false), ("a/**b", "a/xb", true), ("a/**b", "a/x/b", false), ("**foo", "x/foo", false),
        ("[[:upper:]]x", "Ax", true), ("[[:upper:]]x", "ax", false), ("[[:space:]]", " ", true), ("[[:xdigit:]]", "g", false),
        ("[[:alnum:][:punct:]]", "-", true), ("[[:bogus:]]", "b", false), ("[a-]", "-", true), ("[!a-z]", "/", false),
        ("[!a-z]", "A", true), ("[\\]]", "]", true), ("[a-c-e]", "-", true), ("[[]", "[", true), ("[", "[", false),
        ("\\[ab]", "[ab]", true), ("\\[ab]", "a", false), ("\\?", "?", true), ("\\?", "a", false),
        ("a\\*b", "a*b", true), ("a\\*b", "axb", false), ("\\a", "a", true), ("a\\/**/b", "a/x/b", true),
        ("*/*/*", "a/b/c", true), ("*/*/*", "a/b", false), ("?*?", "ab", true), ("?*?", "a", false),
    ])
    func hardPatternsMatchLikeGit(pattern: String, text: String, expected: Bool) {
        #expect(Wildmatch.matches(pattern, text) == expected, "\(pattern) vs \(text)")
    }

    /// Twenty-four `**/` then `keep` against every prefix of a 40-deep path (backtracking took
    /// exponential time here): the same answers as one `**/`.
    @Test func manyDoubleStarsAnswerLikeOne() {
        let many = String(repeating: "**/", count: 24) + "keep"
        var components: [String] = []
        for depth in 0..<40 {
            components.append("d\(depth)")
            for name in ["keep", "keeper", "x.txt"] {
                let path = (components + [name]).joined(separator: "/")
                #expect(Wildmatch.matches(many, path) == (name == "keep"), "\(path)")
                #expect(Wildmatch.matches(many, path) == Wildmatch.matches("**/keep", path))
            }
            #expect(!Wildmatch.matches(many, components.joined(separator: "/")))
        }
        #expect(Wildmatch.matches(String(repeating: "*", count: 30) + "b", String(repeating: "a", count: 60) + "b"))
        #expect(!Wildmatch.matches(String(repeating: "*a", count: 20) + "b", String(repeating: "a", count: 80)))
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
