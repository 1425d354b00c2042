import Foundation
import RLMSupport
import Testing

/// The small value helpers: `Locked`, the `Duration` conversions, `JSONText`, `withCStringArray`.
@Suite struct ValueHelperTests {
    @Test func lockedCountsEveryIncrementFromManyTasks() async {
        let count = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<1000 { count.withLock { $0 += 1 } } } }
        }
        #expect(count.withLock { $0 } == 8000)
    }

    @Test func durationsConvertToMillisecondsAndSeconds() {
        #expect(Duration.milliseconds(1500).milliseconds == 1500)
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.seconds(2).secondsDescription == "2")
        #expect(Duration.milliseconds(500).secondsDescription == "0.5")
    }

    @Test func jsonTextEscapesQuotesBackslashesAndControlCharacters() {
        var json = JSONText()
        json.array(["a\"b", "c\\d", "e\nf\u{1}", nil] as [String?]) { $0.string($1) }
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"["a\"b","c\\d","e\nf\u0001",null]"#)
    }

    @Test func cStringArraysEndInANullPointer() {
        let strings = withCStringArray(["a", "bc"] + environmentStrings(["K": "v"])) { array in
            (array.last! == nil, array.dropLast().map { String(cString: $0!) })
        }
        #expect(strings.0 && strings.1 == ["a", "bc", "K=v"])
    }
}
