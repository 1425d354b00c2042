import Foundation
import Testing
import TestSupport

@Suite struct AskCLITests {
    static func environment(_ server: ScriptedServer, _ cli: CLI) -> [String: String] {
        ["RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1", "RLMD_MODEL": "root-model", "RLMD_SUB_MODEL": "sub-model",
         "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "XDG_STATE_HOME": cli.cacheHome + "/state"]
    }

    @Test func askIndexesAnswersWithCitationsAndKeepsTheTrajectory() async throws {
        let tree = try CLITests.sampleTree()
        let server = try await ScriptedServer([
            .openAI("Looking.\n```repl\nprint(grep('def retry'))\n```", model: "root-model"),
            .openAI("```repl\nFINAL('retry() is defined in src/app/retry.py:1 and called at src/app/client.py:4.')\n```", model: "root-model"),
        ])
        let cli = try CLI()
        let environment = Self.environment(server, cli)
        // Not indexed beforehand: ask indexes first.
        let asked = try await cli.run(["ask", "Where is retry defined?", "--json"], in: tree.root, environment: environment)
        #expect(asked.status == 0, "\(asked.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(asked.stdout.utf8)) as? [String: Any])
        #expect(object["answer"] as? String == "retry() is defined in src/app/retry.py:1 and called at src/app/client.py:4.")
        #expect(object["partial"] as? Bool == false)
        let citations = try #require(object["citations"] as? [[String: Any]])
        #expect(citations.map { "\($0["path"]!):\($0["startLine"]!)-\($0["endLine"]!)" } == ["src/app/retry.py:1-1", "src/app/client.py:4-4"])
        let usage = try #require(object["usage"] as? [String: Int])
        #expect(usage["calls"] == 2 && usage["iterations"] == 2 && usage["depth"] == 1 && usage["input"] == 24)
        #expect(object["cost_usd"] as? Double == 0)
        let id = try #require(object["trajectory"] as? String)
        #expect(asked.stderr.contains("turn 1 · 0 sub-calls"))

        let shown = try await cli.run(["trajectory", id], in: tree.root, environment: environment)
        #expect(shown.status == 0 && shown.stdout.contains("> print(grep('def retry'))") && shown.stdout.contains("src/app/retry.py"))
        let lines = try await cli.run(["trajectory", String(id.prefix(6)), "--jsonl"], in: tree.root, environment: environment)
        #expect(lines.stdout.split(separator: "\n").count == 3)
        let listed = try await cli.run(["trajectory"], in: tree.root, environment: environment)
        #expect(listed.stdout.hasPrefix(id))

        let text = try await cli.run(["ask", "Again?"], in: tree.root, environment: environment)
        #expect(text.status == 0)
        #expect(text.stdout.contains("Citations:\n  src/app/retry.py:1\n  src/app/client.py:4\n"))
        #expect(text.stdout.contains("1 turn, 1 model call"))  // the script's last step (FINAL) repeats
    }

    @Test func aBudgetRunOutExitsOneWithThePartialAnswer() async throws {
        let tree = try CLITests.sampleTree()
        let server = try await ScriptedServer([
            .openAI("```repl\nprint(1)\n```", model: "root-model"),
            .openAI("Best guess: src/app/retry.py:1.", model: "root-model"),
        ])
        let cli = try CLI()
        let result = try await cli.run(["ask", "Q", "--max-iterations", "1"], in: tree.root, environment: Self.environment(server, cli))
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("(partial answer: the turn limit was reached (1 turn))\nBest guess: src/app/retry.py:1."))
    }

    @Test func noProviderAndNoOfflineModelIsAnInputError() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let result = try await cli.run(["ask", "Q"], in: tree.root, environment: [
            "RLMD_BASE_URL": "", "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "XDG_DATA_HOME": cli.cacheHome + "/no-data"])
        #expect(result.status == 2 && result.stderr.contains("OPENAI_API_KEY"))
    }

    @Test func summarizeSessionUsesTheSessionPromptAndTask() async throws {
        let tree = try Fixture()
        try tree.write("s.jsonl", SessionCLITests.lines.joined(separator: "\n") + "\n")
        let server = try await ScriptedServer([
            .openAI("```repl\nFINAL('Goal: find the retry limit (#1). State: MAX_RETRIES = 4 (#2).')\n```", model: "root-model"),
        ])
        let cli = try CLI()
        let result = try await cli.run(["summarize-session", tree.root + "/s.jsonl", "--json"], in: tree.root,
                                       environment: Self.environment(server, cli))
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let citations = try #require(object["citations"] as? [[String: Any]])
        #expect(citations.map { $0["path"] as? String } == ["#1", "#2"])
        let request = try #require(try await server.requests().first?["body"] as? [String: Any])
        let messages = try #require(request["messages"] as? [[String: Any]])
        #expect((messages[0]["content"] as? String)?.contains("AI-coding session") == true)
        let user = messages[1]["content"] as? String ?? ""
        #expect(user.contains("Decisions") && user.contains("Messages by role:") && user.contains("Question: Summarize this session."))
        let missing = try await cli.run(["summarize-session"], in: tree.root, environment: Self.environment(server, cli))
        #expect(missing.status == 2 && missing.stderr.contains("name a session"))
    }
}
