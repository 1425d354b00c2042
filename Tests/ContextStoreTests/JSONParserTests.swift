import Foundation
import Testing
@testable import ContextStore

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\b\f\n\r\tA\u00e9\ud83d\ude00", "o": {}}"#)
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value["s"]?.string == "x\"\\/\u{08}\u{0C}\n\r\tAé😀")
        #expect(value["o"] == .object([]))
        #expect(value["missing"] == nil)
        #expect(try JSONParser.parse(" [] ") == .array([]))
        #expect(try JSONParser.parse("123456789012345678901234").int == nil)
        #expect(try JSONParser.parse("42").int == 42)
        // A lone surrogate becomes U+FFFD rather than an invalid string.
        #expect(try JSONParser.parse(#""\ud800x""#).string == "\u{FFFD}x")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"unterminated", "\"tab\there\"", "{} x", "[\"\\q\"]", "-"])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func skippedMembersAreCheckedButNotKept() throws {
        let text = #"{"keep": 1, "toolUseResult": {"stdout": "a\"b\u00e9", "list": [1, {"x": null}]}, "after": "y"}"#
        let value = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0, skipping: ["toolUseResult"]) }
        #expect(value == .object([("keep", .number(1)), ("after", .string("y"))]))
        let broken = #"{"toolUseResult": {"stdout": "unterminated}"#
        #expect(throws: JSONParseError.self) {
            try Array(broken.utf8).withUnsafeBytes { try JSONParser.parse($0, skipping: ["toolUseResult"]) }
        }
        // Long strings exercise the eight-bytes-at-a-time scan, with escapes at every offset.
        for offset in 0..<17 {
            let plain = String(repeating: "abcdefgh", count: 4)
            let body = String(plain.prefix(offset)) + "\\n\\\"" + plain
            let parsed = try JSONParser.parse("\"" + body + "\"").string
            #expect(parsed == String(plain.prefix(offset)) + "\n\"" + plain)
        }
    }

    @Test func escapesAndStopBytesAtEveryPositionOfLongStrings() throws {
        // The plain-byte scan reads sixteen bytes at a time; put each kind of stop byte at every
        // offset around those blocks and compare with Foundation's decoder.
        let stops = [#"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", "😀"]
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 40] {
            for position in 0...length {
                for stop in stops {
                    let plain = String(repeating: "a", count: length)
                    let body = String(plain.prefix(position)) + stop + String(plain.dropFirst(position))
                    let json = "[\"\(body)\"]"
                    let expected = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
                    #expect(try JSONParser.parse(json).array?.first?.string == expected?.first, "\(json)")
                }
                let control = String(repeating: "a", count: position) + "\u{01}" + String(repeating: "b", count: length - position)
                #expect(throws: JSONParseError.self) { try JSONParser.parse("\"\(control)\"") }
            }
        }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""a\ud83db""#).string == "a\u{FFFD}b")
        #expect(try JSONParser.parse(#""a\ude00b""#).string == "a\u{FFFD}b")
        #expect(try JSONParser.parse(#""\ud83d\u0041""#).string == "\u{FFFD}A")
        #expect(try JSONParser.parse(#""\ud83d""#).string == "\u{FFFD}")
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func compactTextRoundTrips() throws {
        let text = #"{"command":"grep -rn \"x\" src/","n":3,"list":[true,null]}"#
        #expect(try JSONParser.parse(text).compactText == text)
        let escaped = #"{"s":"tab\tnew\nline\r\\ \u0001 é 😀"}"#
        #expect(try JSONParser.parse(escaped).compactText == escaped)
    }
}
