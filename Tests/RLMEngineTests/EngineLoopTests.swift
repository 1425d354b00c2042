import Foundation
import LMClient
import REPL
import RLMEngine
import Testing
import TestSupport

@Suite struct EngineLoopTests {
    @Test func aMultiTurnExplorationEndsWithAnExecutedFinal() async throws {
        let harness = try await EngineHarness([
            reply("hits = search('retry backoff')\nprint(hits[0]['path'])", say: "I will search first."),
            reply("print(read('src/retry.py', 1, 2))"),
            reply("FINAL('Retries live in src/retry.py:1-3, used by src/app.py:4.')"),
        ], over: .inProcess)
        let session = harness.session()
        let collected = Task { () -> [String] in
            var kinds: [String] = []
            for await event in session.events {
                switch event {
                case .turnStarted: kinds.append("turn")
                case .code: kinds.append("code")
                case .output: kinds.append("output")
                case .finished: kinds.append("finished")
                default: break
                }
            }
            return kinds
        }
        let answer = try await session.ask("Where are retries implemented?")
        await session.close()
        #expect(answer.answer == "Retries live in src/retry.py:1-3, used by src/app.py:4.")
        #expect(!answer.partial && answer.stopReason == nil)
        #expect(answer.citations.map { "\($0.path):\($0.startLine)-\($0.endLine):\($0.resolved)" }
                == ["src/retry.py:1-3:true", "src/app.py:4-4:true"])
        #expect(answer.usage.iterations == 3 && answer.usage.calls == 3 && answer.usage.input == 36)
        #expect(await collected.value == ["turn", "code", "output", "turn", "code", "output", "turn", "code", "output", "finished"])

        let requests = try await harness.requests(model: EngineHarness.root)
        #expect(requests.count == 3)
        #expect(requests[0]["stop"] as? [String] == ["\n```\n"])
        let first = EngineHarness.lastUserMessage(requests[0])
        #expect(first.contains("a repository at") && first.contains("Question: Where are retries implemented?"))
        #expect(first.contains("src/ (2)") && first.contains("First lines of README.md"))
        #expect(!first.contains("back off exponentially"))  // the context itself is never sent
        #expect(EngineHarness.lastUserMessage(requests[1]).contains("Output:\n```\nsrc/retry.py\n```"))
        #expect(EngineHarness.lastUserMessage(requests[2]).contains("# back off exponentially"))

        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        #expect(trajectory.turns.count == 3 && trajectory.turns[1].cells.first?.result.stdout.contains("def retry") == true)
        let lines = try trajectory.jsonLines().split(separator: "\n")
        #expect(lines.count == 4 && lines[0].contains("\"type\":\"trajectory\""))
    }

    @Test func outputTheModelInventsIsNeverTheAnswer() async throws {
        let harness = try await EngineHarness([
            .openAI("```repl\nprint(6 * 7)\n```\nOutput:\n```\n41\n```\nSo FINAL(41).", model: EngineHarness.root),
            .openAI("The answer is 41. FINAL(41)", model: EngineHarness.root),
            reply("x = 6 * 7\nFINAL_VAR('x')"),
        ], over: .inProcess)
        let session = harness.session { $0.stopAfterCode = false }
        let answer = try await session.ask("What is six times seven?")
        await session.close()
        #expect(answer.answer == "42")
        let requests = try await harness.requests(model: EngineHarness.root)
        #expect(requests[0]["stop"] == nil)
        #expect(EngineHarness.lastUserMessage(requests[1]).contains("Output:\n```\n42\n```"))
        #expect(EngineHarness.lastUserMessage(requests[2]).contains("had no ```repl block"))
    }

    @Test func batchedAndRecursiveSubCallsAreAnsweredAndRecorded() async throws {
        let harness = try await EngineHarness([
            reply("parts = llm_query_batched(['alpha', 'beta', 'gamma'])\nprint(parts)"),
            .echo("sum: ", model: EngineHarness.sub),
            reply("inner = rlm_query('What does the text start with?', context='inner text here')\nprint(inner)"),
            .openAI("```repl\nFINAL('starts with ' + context[:5])\n```", model: EngineHarness.child),
            reply("FINAL(parts[2] + ' / ' + inner)"),
        ], over: .inProcess)
        let session = harness.session()
        let answer = try await session.ask("Summarize.")
        await session.close()
        #expect(answer.answer == "sum: gamma / starts with inner")
        #expect(answer.usage.calls == 7)
        #expect(answer.usage.depth == 2)
        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        #expect(trajectory.turns[0].subCalls.map(\.kind) == ["llm_query", "llm_query", "llm_query"])
        let recursive = try #require(trajectory.turns[1].subCalls.first)
        #expect(recursive.kind == "rlm_query" && recursive.model == EngineHarness.child)
        #expect(recursive.child?.count == 1 && recursive.child?.first?.depth == 2)
        #expect(recursive.response == "starts with inner")
    }

    @Test func atTheDepthLimitRlmQueryIsAPlainCall() async throws {
        let harness = try await EngineHarness([
            reply("print(rlm_query('plain?'))"),
            .echo("plain answer to: ", model: EngineHarness.sub),
            reply("FINAL('done')"),
        ], over: .inProcess)
        let session = harness.session { $0.maxDepth = 1 }
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.usage.depth == 1)
        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        #expect(trajectory.turns[0].subCalls.first?.response == "plain answer to: plain?")
        #expect(trajectory.turns[0].subCalls.first?.child == nil)
    }

    @Test func aREPLCrashMidRunIsReportedAndTheRunGoesOn() async throws {
        let harness = try await EngineHarness([
            reply("kept = 1\nimport os\nos._exit(3)"),
            reply("FINAL('recovered, kept is ' + str(globals().get('kept')))"),
        ], over: .inProcess)
        let session = harness.session()
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.answer == "recovered, kept is None")
        let requests = try await harness.requests(model: EngineHarness.root)
        #expect(EngineHarness.lastUserMessage(requests[1]).contains("the REPL was restarted"))
    }

    @Test func followUpsKeepVariablesAndHistory() async throws {
        let harness = try await EngineHarness([
            reply("found = 'src/retry.py'\nFINAL('in ' + found)"),
            reply("FINAL('again ' + found + ' after ' + history[0]['answer'])"),
        ], over: .inProcess)
        let session = harness.session()
        let first = try await session.ask("Where?")
        let second = try await session.ask("And where is that tested?")
        await session.close()
        #expect(first.answer == "in src/retry.py")
        #expect(second.answer == "again src/retry.py after in src/retry.py")
        #expect(first.trajectoryID != second.trajectoryID)
        let requests = try await harness.requests(model: EngineHarness.root)
        #expect(EngineHarness.lastUserMessage(requests[1]).contains("Q1: Where?\nA1: in src/retry.py"))
    }

    @Test func citationsAreResolvedOrFlaggedNeverInvented() async throws {
        let harness = try await EngineHarness([
            reply("FINAL('See src/retry.py:1-2, retry.py:3, src/missing.py:4, src/app.py:99 and README.md.')"),
        ], over: .inProcess)
        let session = harness.session()
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.citations.map { "\($0.path):\($0.startLine)-\($0.endLine):\($0.resolved)" } == [
            "src/retry.py:1-2:true", "src/retry.py:3-3:true", "src/missing.py:4-4:false", "src/app.py:99-99:false",
        ])
        // Resolved ones carry their first lines as indexed; unresolved ones nothing.
        #expect(answer.citations.map(\.excerpt) == [
            "def retry(call, attempts=3):\n    # back off exponentially", "    return call()", nil, nil,
        ])
    }
}
