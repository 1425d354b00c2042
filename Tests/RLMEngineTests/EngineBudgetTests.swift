import Foundation
import LMClient
import REPL
import RLMEngine
import Testing
import TestSupport

@Suite struct EngineBudgetTests {
    /// A root model that never finishes; the last "answer now" call is the final step.
    static var endless: [ScriptStep] { [
        reply("print('exploring')"),
        reply("print('still exploring')"),
        reply("print('and more')"),
        .openAI("From what I saw: retries are in src/retry.py:1.\n```repl\nprint('ignored')\n```", model: EngineHarness.root),
    ] }

    @Test func runningOutOfTurnsGivesAPartialAnswerFromOneLastCall() async throws {
        let harness = try await EngineHarness(Self.endless, over: .inProcess)
        let session = harness.session { $0.limits.maxIterations = 3 }
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.partial && answer.stopReason == .iterations)
        #expect(answer.reason == "the turn limit was reached (3 turns)")
        #expect(answer.answer == "From what I saw: retries are in src/retry.py:1.")
        #expect(answer.citations.first?.resolved == true)
        let requests = try await harness.requests(model: EngineHarness.root)
        #expect(requests.count == 4)
        #expect(EngineHarness.lastUserMessage(requests[3]).contains("Stop exploring: the turn limit was reached"))
        #expect(requests[3]["stop"] == nil)
        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        #expect(trajectory.partial && trajectory.turns.last?.answerNow == true)
    }

    @Test(arguments: [
        ("calls", StopReason.calls), ("tokens", .tokens), ("wall", .wallTime),
    ])
    func everyBudgetStopsTheQuestion(kind: String, expected: StopReason) async throws {
        var steps = Self.endless
        if kind == "wall" { steps[0] = steps[0].delayed(0.6) }
        let harness = try await EngineHarness(steps, over: .inProcess)
        let session = harness.session {
            switch kind {
            case "calls": $0.limits.maxCalls = 2
            case "tokens": $0.limits.maxTokens = 30  // each scripted call reports 17
            default: $0.limits.maxWallSeconds = 0.5
            }
        }
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.partial && answer.stopReason == expected)
        #expect(answer.answer == "Next step.", "\(answer.reason ?? "")")  // the last call's prose; its code block is dropped
    }

    @Test func theTimeBudgetBoundsAModelThatNeverAnswers() async throws {
        let harness = try await EngineHarness([.hang], maxAttempts: 5)
        let session = harness.session { $0.limits.maxWallSeconds = 2 }
        let started = ContinuousClock.now
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.partial && answer.stopReason == .wallTime, "\(answer.reason ?? "")")
        #expect(answer.reason?.hasPrefix("the time limit was reached (2 s)") == true)
        // 2 s, then the "answer now" call's 5 s of grace; without the deadline, 5 attempts of 10 s.
        #expect(ContinuousClock.now - started < .seconds(40))
    }

    @Test func theCostBudgetCountsPricedCalls() async throws {
        let harness = try await EngineHarness([
            .openAI("```repl\nprint(llm_query('x'))\n```"),
            .openAI("Partial: nothing yet."),
        ])
        let priced = ModelChoice(client: harness.client, name: "gpt-4o-mini")
        var options = RLMOptions()
        options.limits.maxUSD = 0.000_000_1
        let session = RLMSession(context: .store(harness.snapshot), models: RLMModels(root: priced, sub: priced), options: options)
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.stopReason == .usd && answer.partial)
        #expect(answer.usage.costUSD > 0)
    }

    @Test func subCallsPastTheBudgetGetAnErrorStringNotACall() async throws {
        let harness = try await EngineHarness([
            reply("print(llm_query_batched(['a', 'b', 'c']))"),
            .echo("ok ", model: EngineHarness.sub),
            reply("FINAL('done')"),
        ], over: .inProcess)
        let session = harness.session { $0.limits.maxCalls = 3 }
        let answer = try await session.ask("Q")
        await session.close()
        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        let printed = trajectory.turns[0].cells[0].result.stdout
        #expect(printed.contains("Error: budget exhausted: the limit on model calls was reached (3 calls)"))
        #expect(try await harness.requests(model: EngineHarness.sub).count == 2)
    }

    @Test func anOutageMidRunIsRetriedAcrossTurnsThenGivesUpWithTheError() async throws {
        let outage = ScriptStep.json(["error": ["message": "upstream down"]], status: 500).serving(model: EngineHarness.root)
        let recovering = try await EngineHarness([reply("x = 1\nprint(x)"), outage, outage, reply("FINAL('back: ' + str(x))")])
        let session = recovering.session()
        let answer = try await session.ask("Q")
        await session.close()
        #expect(answer.answer == "back: 1" && !answer.partial)
        #expect(answer.usage.calls == 4)

        let down = try await EngineHarness([reply("print(1)"), outage])
        let failing = down.session()
        let given = try await failing.ask("Q")
        await failing.close()
        #expect(given.partial && given.stopReason == .errors && given.answer.isEmpty)
        #expect(given.reason?.contains("too many errors in a row (3): ") == true && given.reason?.contains("upstream down") == true)
    }

    /// A session whose question is running a cell that sleeps for 30 s.
    static func questionInACell() async throws -> (EngineHarness, RLMSession, Task<RLMAnswer, Error>) {
        let harness = try await EngineHarness([reply("import time\ntime.sleep(30)")])
        let session = harness.session()
        let task = Task { try await session.ask("Q") }
        for await event in session.events {
            if case .code = event { break }
        }
        return (harness, session, task)
    }

    @Test func cancellingAQuestionStopsItAndKeepsItsTrajectory() async throws {
        let (harness, session, task) = try await Self.questionInACell()
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        var id: String?
        do {
            _ = try await task.value
        } catch RLMError.cancelled(let trajectoryID) {
            id = trajectoryID
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        await session.close()
        let trajectoryID = try #require(id)
        let trajectory = try #require(try harness.store.load(trajectoryID))
        #expect(trajectory.partial && trajectory.stopReason == "the question was cancelled")
        #expect(trajectory.turns.first?.cells.first?.result.error?.contains("KeyboardInterrupt") == true)
    }

    @Test func aSecondQuestionWhileOneRunsIsRefusedAsBusy() async throws {
        let (harness, session, task) = try await Self.questionInACell()
        var refused = false
        do {
            _ = try await session.ask("Again?")
        } catch RLMError.busy {
            refused = true
        }
        #expect(refused)
        task.cancel()
        _ = try? await task.value
        await session.close()
        withExtendedLifetime(harness) {}  // its scripted server answers until here
    }
}
