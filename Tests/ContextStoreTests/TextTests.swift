import Foundation
import Testing
@testable import ContextStore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hex(SHA256.hash(Array(input.utf8))) == expected)
    }

    @Test func portableAndSystemImplementationsAgree() {
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        let portable = bytes.withUnsafeBytes { SHA256.portableHash($0) }
        #expect(portable == SHA256.hash(bytes))
        #expect([UInt8]().withUnsafeBytes { SHA256.portableHash($0) } == SHA256.hash([]))
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) {
            bytes[chunk..<min(chunk + 37, bytes.count)].withUnsafeBytes { hasher.update($0) }
        }
        #expect(hasher.finalize() == SHA256.hash(bytes))
        #expect(SHA256.hex(SHA256.hash(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct TextDecoderTests {
    @Test func asciiAndMultibyteCounts() {
        let text = "héllo\nwörld 😀\nlast"
        let decoded = TextDecoder.decode(Array(text.utf8))
        #expect(decoded.scalarCount == text.unicodeScalars.count)
        #expect(decoded.lineCount == 3)
        #expect(decoded.invalidSequences == 0)
        #expect(!decoded.isASCII)
        #expect(TextDecoder.decode(Array("a\nb\n".utf8)).lineCount == 2)
        #expect(TextDecoder.decode([]).lineCount == 0)
        let long = String(repeating: "abcdefg\n", count: 100)
        #expect(TextDecoder.decode(Array(long.utf8)).lineCount == 100)
    }

    @Test func countsOfValidTextAgreeWithTheValidatingDecoder() {
        // Lengths around the 16-byte blocks and past the 255-block lane counters; multibyte
        // chars and newlines at every offset of a block.
        var texts = ["", "\n", "a", "é", "😀\n", String(repeating: "x", count: 16 * 255 + 7)]
        for length in [15, 16, 17, 31, 33, 64] {
            for offset in 0..<min(length, 17) {
                for insert in ["\n", "é", "→", "😀"] {
                    let plain = String(repeating: "a", count: length)
                    texts.append(String(plain.prefix(offset)) + insert + String(plain.dropFirst(offset)))
                }
            }
        }
        texts.append(String(repeating: "héllo\nwörld 😀 → \n", count: 1000))
        for text in texts {
            let checked = TextDecoder.decode(Array(text.utf8)), counted = TextDecoder.decode(valid: Array(text.utf8))
            #expect(counted.scalarCount == checked.scalarCount && counted.lineCount == checked.lineCount, "\(text.prefix(40))")
            #expect(counted.bytes == checked.bytes && counted.invalidSequences == 0)
        }
    }

    /// Replacement matches Python's `bytes.decode("utf-8", "replace")`, so char offsets agree.
    @Test(arguments: [
        ([0x61, 0xFF, 0xE2, 0x82, 0x62] as [UInt8], "a\u{FFFD}\u{FFFD}b"),
        ([0xED, 0xA0, 0x80, 0x78], "\u{FFFD}\u{FFFD}\u{FFFD}x"),
        ([0xF0, 0x9F, 0x98], "\u{FFFD}"),
        ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        ([0xC3, 0xA9, 0xE2, 0x82, 0xAC], "é€"),
    ])
    func invalidSequencesReplacedLikePython(bytes: [UInt8], expected: String) {
        let decoded = TextDecoder.decode(bytes)
        #expect(String(decoding: decoded.bytes, as: UTF8.self) == expected)
        #expect(decoded.scalarCount == expected.unicodeScalars.count)
    }
}

@Suite struct LanguageTests {
    @Test func byExtensionAndName() {
        #expect(Language.of(path: "src/app.py") == "python")
        #expect(Language.of(path: "Makefile") == "make")
        #expect(Language.of(path: "a/b/Thing.SWIFT") == "swift")
        #expect(Language.of(path: ".bashrc") == nil)
        #expect(Language.of(path: "LICENSE") == nil)
    }
}
