import Foundation
import Testing
import TestSupport

/// The typed steps write exactly the objects `scripted_lm_server.py` documents.
@Suite struct ScriptStepTests {
    static func same(_ step: ScriptStep, _ expected: [String: Any]) throws -> Bool {
        let options: JSONSerialization.WritingOptions = [.sortedKeys]
        return try JSONSerialization.data(withJSONObject: step.json, options: options)
            == JSONSerialization.data(withJSONObject: expected, options: options)
    }

    @Test func everyBuilderWritesTheServersShape() throws {
        #expect(try Self.same(.openAI("hi"), ["body": "openai:hi"]))
        #expect(try Self.same(.openAI("hi", model: "m"), ["body": "openai:hi", "model": "m"]))
        #expect(try Self.same(.anthropic("hi"), ["body": "anthropic:hi"]))
        #expect(try Self.same(.json(["error": ["message": "x"]], status: 429, headers: ["Retry-After": "1"]),
                              ["status": 429, "headers": ["Retry-After": "1"], "body": ["error": ["message": "x"]]]))
        #expect(try Self.same(.raw("", status: 307), ["status": 307, "raw": ""]))
        #expect(try Self.same(.echo("sum: ", model: "sub"), ["echo": "sum: ", "model": "sub"]))
        #expect(try Self.same(.stream(["a", "b"], format: .anthropic, cutAfter: 2, errorEvent: ["type": "error"]),
                              ["stream": ["a", "b"], "format": "anthropic", "cut_after": 2, "error_event": ["type": "error"]]))
        #expect(try Self.same(.endless("w", status: 400, stream: true), ["endless": "w", "status": 400, "stream": true]))
        #expect(try Self.same(.endless("w"), ["endless": "w"]))
        #expect(try Self.same(.hang, ["hang": true]) && Self.same(.reset, ["reset": true]))
        #expect(try Self.same(.openAI("late").delayed(0.2), ["delay": 0.2, "body": "openai:late"]))
    }
}
