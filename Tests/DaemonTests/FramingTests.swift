import Foundation
import JSONRPC
import RLMProtocol
import Testing

@Suite struct FramingTests {
    static func framed(_ body: String) -> Data { Framing.lsp.frame(Data(body.utf8)) }

    @Test func messagesSplitAtEveryPositionComeOutWhole() {
        let bodies = [#"{"jsonrpc":"2.0","id":1,"method":"a"}"#, #"{"jsonrpc":"2.0","method":"é→😀"}"#]
        var stream = Self.framed(bodies[0])
        stream.append(Data("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n".utf8))  // headers in either order
        stream.append(Self.framed(bodies[1]))
        for cut in 0...stream.count {
            var parser = LSPFrameParser()
            let frames = parser.push(stream.prefix(cut)) + parser.push(stream.dropFirst(cut))
            #expect(frames == bodies.map { .message(Data($0.utf8)) }, "cut at \(cut)")
        }
        var parser = LSPFrameParser()
        let oneByteAtATime = stream.flatMap { parser.push(Data([$0])) }
        #expect(oneByteAtATime == bodies.map { .message(Data($0.utf8)) })
    }

    @Test func badHeadersAreReportedAndTheNextMessageStillArrives() {
        let good = Self.framed(#"{"ok":1}"#)
        let cases: [(String, String)] = [
            ("Content-Type: x\r\n\r\n", "without Content-Length"),
            ("Content-Length: ten\r\n\r\n", "not a length"),
            ("Content-Length: -5\r\n\r\n", "not a length"),
            ("garbage line\r\n\r\n", "without a colon"),
        ]
        for (header, expected) in cases {
            var parser = LSPFrameParser()
            let frames = parser.push(Data(header.utf8) + good)
            #expect(frames.count == 2, "\(header)")
            if case .error(let message) = frames.first { #expect(message.contains(expected), "\(message)") } else { Issue.record("no error for \(header)") }
            #expect(frames.last == .message(Data(#"{"ok":1}"#.utf8)))
        }
    }

    @Test func aLengthLargerThanItsBodyCostsThatMessageAndTheNextOneOnly() {
        var parser = LSPFrameParser()
        var stream = Data("Content-Length: 20\r\n\r\n{\"short\":1}".utf8)  // 11 bytes announced as 20
        stream += Self.framed(#"{"swallowed":1}"#) + Self.framed(#"{"third":1}"#) + Self.framed(#"{"fourth":1}"#)
        let frames = parser.push(stream)
        #expect(frames.last == .message(Data(#"{"fourth":1}"#.utf8)))
        #expect(frames.contains(.message(Data(#"{"third":1}"#.utf8))))
        #expect(!frames.contains(.message(Data(#"{"swallowed":1}"#.utf8))))
    }

    @Test func oversizedBodiesAreSkippedWithoutBeingKept() {
        var parser = LSPFrameParser(maxBody: 1000)
        var frames = parser.push(Data("Content-Length: 5000\r\n\r\n".utf8) + Data(repeating: 65, count: 3000))
        frames += parser.push(Data(repeating: 65, count: 2000) + Self.framed(#"{"after":1}"#))
        #expect(frames.count == 2)
        #expect(frames.last == .message(Data(#"{"after":1}"#.utf8)))
    }

    @Test func aHeaderThatNeverEndsIsDroppedUpToTheNextHeader() {
        var parser = LSPFrameParser()
        let noise = Data(repeating: 120, count: 20_000)
        let frames = parser.push(noise + Self.framed(#"{"x":1}"#))
        #expect(frames.first.map { if case .error = $0 { true } else { false } } == true)
        #expect(frames.last == .message(Data(#"{"x":1}"#.utf8)))
    }

    @Test func tenMegabyteBodiesArrive() {
        let big = #"{"q":""# + String(repeating: "a", count: 10 << 20) + #""}"#
        var parser = LSPFrameParser()
        let stream = Self.framed(big)
        var frames: [Frame] = []
        var offset = 0
        while offset < stream.count {
            frames += parser.push(stream[offset..<min(offset + 65_536, stream.count)])
            offset += 65_536
        }
        #expect(frames.count == 1 && frames.first == .message(Data(big.utf8)))
    }

    @Test func lineFramingForMCP() {
        var parser = LineFrameParser()
        let frames = parser.push(Data("{\"a\":1}\r\n\n{\"b\"".utf8)) + parser.push(Data(":2}\n".utf8))
        #expect(frames == [.message(Data(#"{"a":1}"#.utf8)), .message(Data(#"{"b":2}"#.utf8))])
    }

    @Test func linesSplitAtEveryPositionComeOutWhole() {
        let stream = Data("{\"a\":1}\n \n{\"é\":\"😀\"}\r\n{\"c\":3}\n".utf8)
        let expected: [Frame] = [#"{"a":1}"#, #"{"é":"😀"}"#, #"{"c":3}"#].map { .message(Data($0.utf8)) }
        for cut in 0...stream.count {
            var parser = LineFrameParser()
            #expect(parser.push(stream.prefix(cut)) + parser.push(stream.dropFirst(cut)) == expected, "cut at \(cut)")
        }
        var parser = LineFrameParser()
        #expect(stream.flatMap { parser.push(Data([$0])) } == expected)
    }

    @Test func anOverLongLineIsDroppedToItsNewlineAndReported() {
        for chunk in [1, 7, 100, 5000] {
            var parser = LineFrameParser(maxLine: 1000)
            let stream = Data("{\"before\":1}\n\(String(repeating: "A", count: 2500))\n{\"after\":1}\n".utf8)
            var frames: [Frame] = []
            var offset = 0
            while offset < stream.count {
                frames += parser.push(stream[offset..<min(offset + chunk, stream.count)])
                offset += chunk
            }
            #expect(frames == [.message(Data(#"{"before":1}"#.utf8)), .error("a line of 2500 bytes is over the limit of 1000; skipped"),
                               .message(Data(#"{"after":1}"#.utf8))], "chunks of \(chunk)")
        }
        var parser = LineFrameParser(maxLine: 10)
        #expect(parser.push(Data("0123456789\n01234567890\n".utf8)) == [.message(Data("0123456789".utf8)),
                                                                        .error("a line of 11 bytes is over the limit of 10; skipped")])
    }

    /// Each byte is scanned once: a 16 MB line in 4 KiB reads took minutes when every read rescanned the line.
    @Test func aSixteenMegabyteLineInSmallReadsIsReadInLinearTime() {
        let line = Data(#"{"q":""#.utf8) + Data(repeating: 97, count: 16 << 20) + Data(#""}"#.utf8)
        var stream = line
        stream.append(10)
        var parser = LineFrameParser()
        var frames: [Frame] = []
        let started = ContinuousClock.now
        var offset = 0
        while offset < stream.count {
            frames += parser.push(stream[offset..<min(offset + 4096, stream.count)])
            offset += 4096
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(frames == [.message(line)])
    }

    @Test func messagesParseOrSayWhatIsWrong() throws {
        func parse(_ text: String) -> Result<Message, BadMessage> { Message.parse(Data(text.utf8)) }
        #expect(try parse(#"{"jsonrpc":"2.0","id":"a-1","method":"m","params":{"x":1}}"#).get()
                == .request(id: .string("a-1"), method: "m", params: .object(["x": .int(1)])))
        #expect(try parse(#"{"jsonrpc":"2.0","method":"n"}"#).get() == .notification(method: "n", params: .null))
        #expect(try parse(#"{"jsonrpc":"2.0","id":3,"result":null}"#).get() == .response(id: .int(3), result: .success(.null)))
        let failures: [(String, ErrorCode, RequestID?)] = [
            ("{not json", .parseError, nil), ("\u{FF}", .parseError, nil), ("[1,2]", .invalidRequest, nil), ("7", .invalidRequest, nil),
            (#"{"id":1,"method":"m"}"#, .invalidRequest, .int(1)), (#"{"jsonrpc":"2.0","id":2,"method":5}"#, .invalidRequest, .int(2)),
            (#"{"jsonrpc":"2.0","id":[1],"method":"m"}"#, .invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"m"}"#, .invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"m"}"#, .invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":-9223372036854775809,"method":"m"}"#, .invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":100000000000000000000000,"method":"m"}"#, .invalidRequest, nil),
            (#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, .invalidRequest, nil),
        ]
        #expect(try parse(#"{"jsonrpc":"2.0","id":9223372036854775807,"method":"m"}"#).get() == .request(id: .int(.max), method: "m", params: .null))
        #expect(try parse(#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"m"}"#).get() == .request(id: .int(.min), method: "m", params: .null))
        for (text, code, id) in failures {
            guard case .failure(let bad) = parse(text) else { Issue.record("\(text) parsed"); continue }
            #expect(bad.error.code == code && bad.id == id, "\(text)")
        }
    }
}

@Suite struct JSONValueTests {
    @Test func parsingKeepsEveryKindApart() throws {
        let value = try JSONValue.parse(Data(#"{"t":true,"f":false,"one":1,"zero":0,"big":9007199254740993,"half":0.5,"float":2.0,"s":"é","n":null,"a":[1,"x",[]],"o":{}}"#.utf8))
        #expect(value == .object(["t": .bool(true), "f": .bool(false), "one": .int(1), "zero": .int(0), "big": .int(9_007_199_254_740_993),
                                  "half": .double(0.5), "float": .double(2), "s": .string("é"), "n": .null,
                                  "a": .array([.int(1), .string("x"), .array([])]), "o": .object([:])]))
    }

    @Test func integersBeyondSixtyFourBitsNeverWrap() throws {
        for text in ["18446744073709551615", "9223372036854775808", "-9223372036854775809"] {
            let value = try JSONValue.parse(Data(text.utf8))
            guard case .double(let number) = value else { Issue.record("\(text) is \(value)"); continue }
            #expect(number == Double(text), "\(text)")
        }
    }
}
