import Foundation
@testable import REPL
import Testing

@Suite struct ReplInitMessageTests {
    @Test func theHandWrittenInitLineIsTheJSONOfTheMessage() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t return \r bell \u{07} nul \u{0} é → 😀"
        let message = ReplMessage.Init(
            records: [[0, 120, 0, 118], [500, 7, 118, 7]], total_chars: 125, all_ascii: false, exact: false,
            docs: [
                .init(path: "src/\(tricky).py", start: 0, end: 100, lines: 3, kind: "file",
                      role: nil, timestamp: nil, session: nil, index: nil, tool: nil),
                .init(path: "#2", start: 118, end: 125, lines: 1, kind: "message", role: "assistant",
                      timestamp: "2026-11-01T12:00:05Z", session: "abc", index: 2, tool: tricky),
            ],
            limits: ["as": 8 << 30, "cpu": 3600, "nproc": 256], output_limit: 20000, cwd: "/scratch")
        let line = message.jsonLine
        #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
        let handWritten = try JSONSerialization.jsonObject(with: line) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(message)) as? NSDictionary
        #expect(handWritten != nil && handWritten == encoded)
    }
}
