import Daemon
import Foundation
import RLMProtocol
import Testing
import TestSupport

@Suite struct MCPTests {
    static func client(_ fixture: Fixture, server: ScriptedServer? = nil) -> TestClient {
        var extra: [String: String] = [:]
        if let server {
            extra = ["RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1", "RLMD_MODEL": "root-model", "RLMD_SUB_MODEL": "sub-model"]
        }
        let environment = TestClient.environment(cache: fixture.root + "/..", extra: extra)
        let root = fixture.root
        return TestClient(framing: .lines) { connection in
            await MCPServer(connection: connection, root: root, environment: environment).run()
        }
    }

    static func text(_ result: Result<JSONValue, ResponseError>) -> String? {
        guard case .array(let content) = result.value?["content"] else { return nil }
        return content.first?["text"]?.stringValue
    }

    @Test func toolsAreListedWithSchemasAndLookupsAnswer() async throws {
        let fixture = try QuestionTests.workspace()
        let client = Self.client(fixture)
        let initialized = await client.request("initialize", .object(["protocolVersion": .string("2025-06-18"), "capabilities": .object([:])]))
        #expect(initialized.value?["serverInfo"]?["name"] == .string("rlmd"))
        client.send("notifications/initialized", id: nil)
        guard case .array(let tools) = await client.request("tools/list").value?["tools"] else { Issue.record("no tools"); return }
        #expect(tools.compactMap { $0["name"]?.stringValue } == ["ask_repo", "follow_up", "summarize_session", "grep", "read", "search"])
        #expect(tools.allSatisfy { $0["inputSchema"]?["type"] == .string("object") })

        let grep = await client.request("tools/call", .object(["name": .string("grep"), "arguments": .object(["pattern": .string("def retry")])]))
        #expect(Self.text(grep) == "src/retry.py:1:def retry(call, attempts=3):")
        let read = await client.request("tools/call", .object(["name": .string("read"),
                                                               "arguments": .object(["path": .string("src/retry.py"), "start_line": .int(2)])]))
        #expect(Self.text(read) == "    return call()\n")
        let search = await client.request("tools/call", .object(["name": .string("search"), "arguments": .object(["query": .string("retry")])]))
        #expect(Self.text(search)?.hasPrefix("src/retry.py:1:") == true)
        let missing = await client.request("tools/call", .object(["name": .string("read"), "arguments": .object(["path": .string("nope.py")])]))
        #expect(missing.value?["isError"] == .bool(true))
        #expect(await client.request("tools/call", .object(["name": .string("grep"), "arguments": .object([:])])).failure?.code == .invalidParams)
        #expect(await client.request("resources/list").failure?.code == .methodNotFound)
        #expect(await client.request("ping").value == .object([:]))
        #expect(await client.hangUp() == 0)
    }

    @Test func askRepoAnswersWithCitationsProgressAndAConversation() async throws {
        let fixture = try QuestionTests.workspace()
        let server = try await ScriptedServer([
            .openAI("```repl\nFINAL('In src/retry.py:1.')\n```", model: "root-model"),
            .openAI("```repl\nFINAL('Yes: ' + history[0]['answer'])\n```", model: "root-model"),
        ])
        let client = Self.client(fixture, server: server)
        _ = await client.request("initialize", .object([:]))
        let asked = await client.request("tools/call", .object(["name": .string("ask_repo"), "arguments": .object(["question": .string("Where?")]),
                                                                "_meta": .object(["progressToken": .string("p1")])]))
        let text = try #require(Self.text(asked))
        #expect(text.hasPrefix("In src/retry.py:1.\n\nCitations: src/retry.py:1-1\n\nconversation: c"))
        let progress = client.notifications("notifications/progress").filter { $0.params["progressToken"] == .string("p1") }
        #expect(!progress.isEmpty)
        let conversation = try #require(text.split(separator: "conversation: ").last?.split(separator: " ").first.map(String.init))
        let followed = await client.request("tools/call", .object(["name": .string("follow_up"),
                                                                   "arguments": .object(["conversation": .string(conversation), "question": .string("Sure?")])]))
        #expect(Self.text(followed)?.hasPrefix("Yes: In src/retry.py:1.") == true)
        #expect(await client.hangUp() == 0)
    }
}
