@testable import Bench
import ContextStore
import Foundation
import RLMEngine
import Testing
import TestSupport

/// The runner against the scripted server: results kept as they arrive, resumed without rerunning.
@Suite struct RunnerTests {
    static func environment(_ root: String) -> [String: String] {
        ["HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_CACHE_HOME": root + "/cache", "XDG_DATA_HOME": root + "/data",
         "XDG_STATE_HOME": root + "/state", "PATH": "/usr/bin:/bin"]
    }

    @Test func resultsArriveInTheFolderAndAResumeRunsOnlyWhatIsMissing() async throws {
        let fixture = try Fixture()
        let server = try await ScriptedServer([
            .openAI("```repl\nhits = grep('special magic number')\nFINAL('Answer: ' + hits[0][2])\n```", model: "root-model"),
        ])
        let setup = ModelSetup(baseURL: server.baseURL.appendingPathComponent("v1").absoluteString, model: "root-model", subModel: "sub-model")
        var config = BenchRunConfig(suite: "niah", seed: 5, sizes: [4_000])
        config.methods = ["rlm", "direct"]
        let folder = ResultsFolder(path: fixture.root + "/run")
        try folder.create(config)
        let plans = NeedleSuite(seed: 5, sizes: [4_000]).plans
        func runner() -> BenchRunner {
            BenchRunner(config: config, service: QuestionService(environment: Self.environment(fixture.root), trajectories: nil),
                        setup: setup, options: RLMOptions(), folder: folder)
        }
        // A run killed after its first result, mid-line of the second.
        let first = try await runner().run(Array(plans.prefix(1)), tasksPerContext: 1) { _ in }
        #expect(first.count == 2)
        let rlm = try #require(first.first { $0.method == "rlm" })
        #expect(rlm.score == 1 && rlm.calls == 1 && rlm.error == nil, "\(rlm)")
        let direct = try #require(first.first { $0.method == "direct" })
        #expect(direct.calls == 1 && direct.partial == false)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.resultsPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"task":"cut"#.utf8))
        try handle.close()
        let requestsBefore = try await server.requests().count

        let seen = ProgressLog()
        let all = try await runner().run(plans, tasksPerContext: 1) { await seen.add($0) }
        #expect(all.count == 4 && Set(all.map(\.key)).count == 4)
        #expect(try await server.requests().count - requestsBefore == 2, "only the second context's two tasks ran")
        #expect(try folder.results().count == 4, "the cut line is skipped and the next result starts a line of its own")
        let progress = await seen.values
        #expect(progress.first?.done == 2 && progress.last?.done == 4 && progress.allSatisfy { $0.total == 4 })
    }

    @Test func theDirectBaselineCutsTheContextToTheWindow() throws {
        let fixture = try Fixture()
        try fixture.write("big.txt", String(repeating: "word é ", count: 20_000))
        _ = try fixture.index()
        let snapshot = try fixture.snapshot()
        let prompt = DirectBaseline.prompt(question: "Q?", snapshot: snapshot, window: 10_000)
        #expect(prompt.truncated && prompt.keptChars < prompt.totalChars)
        #expect(prompt.text.utf8.count < (10_000 - 2_048) * 4 + 400)
        #expect(prompt.text.hasSuffix("</context>\n\nQ?"))
        #expect(DirectBaseline.prompt(question: "Q?", snapshot: snapshot, window: 1_000_000).truncated == false)
        #expect(DirectBaseline.window(of: "gpt-5-mini") == 400_000 && DirectBaseline.window(of: "unknown", fallback: 9) == 9)
    }

    @Test func theJudgesVerdictIsReadFromItsJSONAndComparisonsPairTasks() throws {
        let verdict = try #require(Judge.parse(#"Here: {"correctness": 2, "completeness": 1, "citations": 5, "verdict": "ok"} done"#, model: "j"))
        #expect(verdict.correctness == 2 && verdict.completeness == 1 && verdict.citations == 2 && verdict.score == 5.0 / 6)
        #expect(Judge.parse("no json", model: "j") == nil)
        #expect(Judge.parse(#"{"correctness": 1}"#, model: "j") == nil)
        #expect(Judge.prompt(question: "Q", reference: "R", files: ["a.py"], answer: "A").contains("Reference answer:\nR"))

        func result(_ task: String, _ method: String, _ score: Double) -> BenchResult {
            BenchResult(task: task, suite: "oolong", kind: "count", context: "c", tokens: 8_192, contextTokens: 8_200, method: method,
                        model: "m", question: "q", reference: "1", answer: "a", score: score, partial: false, costUsd: 0.01,
                        inputTokens: 10, outputTokens: 2, cachedTokens: 0, calls: 1, iterations: 1, seconds: 1)
        }
        let rows = BenchComparison.compare([result("t1", "rlm", 0.5), result("t2", "rlm", 1), result("t3", "direct", 0)],
                                           [result("t1", "rlm", 1), result("t2", "rlm", 0.25)])
        #expect(rows.count == 1)
        #expect(rows[0].tasks == 2 && rows[0].scoreA == 0.75 && rows[0].scoreB == 0.625 && rows[0].better == 1 && rows[0].worse == 1)
        let summary = BenchRow.summarize([result("t1", "rlm", 0.5), result("t2", "rlm", 1), result("t3", "direct", 0)], byKind: false)
        #expect(summary.map(\.method) == ["rlm", "direct"] && summary[0].score == 0.75 && summary[0].costMedian == 0.01)
    }
}

actor ProgressLog {
    private(set) var values: [BenchRunner.Progress] = []
    func add(_ value: BenchRunner.Progress) { values.append(value) }
}
