import Foundation
import Testing
import TestSupport
@testable import LMClient

@Suite struct StreamingTests {
    static func collect(_ stream: AsyncThrowingStream<StreamEvent, any Error>) async throws -> ([String], Completion?) {
        var texts: [String] = []
        var completion: Completion?
        for try await event in stream {
            switch event {
            case .text(let text): texts.append(text)
            case .completed(let done): completion = done
            }
        }
        return (texts, completion)
    }

    @Test func openAIStreamsDeltasThenUsage() async throws {
        let server = try await ScriptedServer([.stream(["Hel", "lo", " there"])])
        let client = ModelClientTests.openAI(server)
        let (texts, completion) = try await Self.collect(client.stream(ModelClientTests.request))
        #expect(texts == ["Hel", "lo", " there"])
        #expect(completion?.text == "Hello there" && completion?.finishReason == "stop")
        #expect(completion?.usage == Usage(input: 12, output: 5, cachedInput: 4) && completion?.costUSD != nil)
        let body = try #require(try await server.requests().first?["body"] as? [String: Any])
        #expect(body["stream"] as? Bool == true && (body["stream_options"] as? [String: Bool])?["include_usage"] == true)
    }

    @Test func anthropicStreamsEvents() async throws {
        let server = try await ScriptedServer([.stream(["Hi", "!"], format: .anthropic)])
        let request = CompletionRequest(model: "claude-haiku-4-5", messages: [.user("hi")])
        let (texts, completion) = try await Self.collect(ModelClientTests.anthropic(server).stream(request))
        #expect(texts == ["Hi", "!"] && completion?.text == "Hi!" && completion?.finishReason == "end_turn")
        #expect(completion?.usage == Usage(input: 15, output: 5, cachedInput: 3, cacheWrite: 2))
    }

    @Test func failuresBeforeTheFirstTokenAreRetried() async throws {
        let server = try await ScriptedServer([
            .json(["error": ["message": "busy"]], status: 429, headers: ["Retry-After": "0"]),
            .stream(["ok"]),
        ])
        let (texts, completion) = try await Self.collect(ModelClientTests.openAI(server).stream(ModelClientTests.request))
        #expect(texts == ["ok"] && completion?.attempts == 2)
    }

    @Test func aStreamCutMidwayFailsWithoutRetrying() async throws {
        let server = try await ScriptedServer([.stream(["one", "two", "three"], cutAfter: 2)])
        var texts: [String] = []
        do {
            for try await event in ModelClientTests.openAI(server).stream(ModelClientTests.request) {
                if case .text(let text) = event { texts.append(text) }
            }
            Issue.record("the cut stream should fail")
        } catch {
            #expect(error is LMError, "\(error)")
        }
        #expect(texts == ["one", "two"])
        #expect(try await server.requests().count == 1)
    }

    @Test func parserHandlesAnySplitCommentsAndCRLF() {
        let text = ": keep-alive\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n"
        let bytes = Array(text.utf8)
        let expected = [
            ServerSentEvent(event: "message_start", data: "{\"a\":1}"),
            ServerSentEvent(event: nil, data: "line one\nline two"),
            ServerSentEvent(event: nil, data: "[DONE]"),
        ]
        for split in 0...bytes.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == expected, "split at \(split)")
        }
    }
}
