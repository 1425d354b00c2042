import Foundation
import RLMProtocol
import Testing
import TestSupport

/// `workspace/executeCommand` as Helix, Sublime LSP and Zed use it: unquoted words, and answers that
/// must be shown because such clients display nothing of a command's result.
@Suite struct ExecuteCommandTests {
    static func ask(_ words: [String]) -> ExecuteCommand.Params {
        ExecuteCommand.Params(command: "rlm.ask", arguments: words.map(JSONValue.string))
    }

    @Test func wordsAreJoinedAndTheAnswerOpensAsADocumentWhenTheClientCanShowOne() async throws {
        let fixture = try QuestionTests.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('retry is at src/retry.py:1')\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: QuestionTests.options(server),
                                    capabilities: .object(["window": .object(["showDocument": .object(["support": .bool(true)])])]))
        let answered = await client.request(ExecuteCommand.self, Self.ask(["Where", "is", "retry?"]))
        #expect(answered.value?["answer"] == .string("retry is at src/retry.py:1"))
        let prompt = try await server.requests().first?["body"] as? [String: Any]
        let messages = prompt?["messages"] as? [[String: Any]]
        #expect((messages?.last?["content"] as? String)?.contains("Where is retry?") == true)

        let shown = try #require(client.serverRequests(ShowDocument.self).first)
        let file = try #require(URL(string: shown.uri)).path
        #expect(file.hasPrefix(fixture.root + "/../state/rlmd/answers/") || file.contains("/state/rlmd/answers/"))
        let markdown = try String(contentsOfFile: file, encoding: .utf8)
        #expect(markdown.hasPrefix("# Where is retry?\n"))
        #expect(markdown.contains("retry is at src/retry.py:1"))
        let link = URL(fileURLWithPath: fixture.root).appendingPathComponent("src/retry.py").absoluteString + "#L1"
        #expect(markdown.contains("[src/retry.py:1](\(link)) — `def retry(call, attempts=3):`"))
        #expect(client.notifications(ShowMessage.method).isEmpty)
        #expect(await client.exit() == 1)
    }

    @Test func aClientThatCannotShowDocumentsGetsTheAnswersHeadAsAMessage() async throws {
        let fixture = try QuestionTests.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('retry is at src/retry.py:1')\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: QuestionTests.options(server))
        #expect(await client.request(ExecuteCommand.self, Self.ask(["Where is retry?"])).value?["partial"] == .bool(false))
        let message = try #require(client.notifications(ShowMessage.self).first)
        #expect(message.type == 3)
        #expect(message.message.hasPrefix("retry is at src/retry.py:1\n\n1 turn · 1 model call"))
        #expect(client.notifications(ShowDocument.method).isEmpty)
        #expect(await client.exit() == 1)
    }

    @Test func badArgumentsAreRefusedWithTheWayToSendThem() async throws {
        let fixture = try QuestionTests.workspace()
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root)
        for arguments: JSONValue in [.array([]), .array([.string("  ")]), .array([.string("where"), .int(3)])] {
            let refused = await client.request(ExecuteCommand.method, .object(["command": .string("rlm.ask"), "arguments": arguments]))
            #expect(refused.failure?.code == .invalidParams, "\(arguments)")
            #expect(refused.failure?.message.contains("several that are joined by spaces") == true)
        }
        let summary = await client.request(ExecuteCommand.method, .object(["command": .string("rlm.summarizeSession"),
                                                                           "arguments": .array([.int(1)])]))
        #expect(summary.failure?.code == .invalidParams)
        #expect(await client.request(Status.self).value?.index != nil)  // still serving
        #expect(await client.exit() == 1)
    }

    @Test func aPartialAnswerNamesTheLimitAndStatusTheDaemonsPid() async throws {
        let fixture = try QuestionTests.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nprint(1)\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        let options = Initialize.Options(baseUrl: "http://127.0.0.1:\(server.port)/v1", model: "root-model", budgets: Budgets(maxIterations: 1))
        _ = await client.initialize(root: fixture.root, options: options)
        let answer = await client.request(Ask.self, Ask.Params(question: "Q", workDoneToken: .string("p"))).value
        #expect(answer?.partial == true && answer?.stop == "iterations")
        #expect(client.workDone(token: .string("p")).last?.reason == .budget)
        #expect(await client.request(Status.self).value?.pid == Int(getpid()))
        #expect(await client.exit() == 1)
    }

    @Test func sessionsCarryTheirSizeAndTitle() async throws {
        let fixture = try QuestionTests.workspace()
        let claude = fixture.root + "/../claude"
        let folder = claude + "/projects/" + fixture.root.replacingOccurrences(of: "/", with: "-")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let line = #"{"type":"summary","summary":"Cache design"}"# + "\n"
            + #"{"type":"user","sessionId":"s9","timestamp":"2026-11-01T12:00:00Z","message":{"role":"user","content":"Use Redis."}}"# + "\n"
        try line.write(toFile: folder + "/s9.jsonl", atomically: true, encoding: .utf8)
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/..", extra: ["CLAUDE_CONFIG_DIR": claude]))
        _ = await client.initialize(root: fixture.root)
        let first = try #require(try await client.call(Sessions.self).first)
        #expect(first.id == "s9" && first.tool == "claude")
        #expect(first.bytes == line.utf8.count)
        #expect(first.title == "Cache design")
        // Without a summary, the person's first message names it.
        try (#"{"type":"user","sessionId":"s8","timestamp":"2026-10-01T12:00:00Z","message":{"role":"user","content":"\n  Why is the build slow?\nDetails follow."}}"# + "\n")
            .write(toFile: folder + "/s8.jsonl", atomically: true, encoding: .utf8)
        let untitled = try #require(try await client.call(Sessions.self).first { $0.id == "s8" })
        #expect(untitled.title == "Why is the build slow?")
        #expect(await client.exit() == 1)
    }
}
