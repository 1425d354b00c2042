import Foundation
import REPL
import Testing

/// Counts calls in flight, to see how many a batch runs at once.
actor InFlight {
    private(set) var now = 0, most = 0, calls: [SubCall] = []

    func enter(_ call: SubCall) {
        calls.append(call)
        now += 1
        most = max(most, now)
    }

    func leave() { now -= 1 }
}

@Suite struct ReplSubCallTests {
    @Test func llmQueryAndRlmQueryReachTheHandler() async throws {
        let seen = InFlight()
        let results = try await Harness.run([
            "llm_query('what is 2+2?', model='small')",
            "rlm_query('summarize', context='some text')",
            "rlm_query('again')",
            "llm_query('fail please')",
        ], subCalls: { call in
            await seen.enter(call)
            await seen.leave()
            if case .llmQuery(let prompt, _, _) = call, prompt.hasPrefix("fail") { throw ReplError("provider said no") }
            switch call {
            case .llmQuery(let prompt, let model, _): return "answer to \(prompt) from \(model ?? "default")"
            case .rlmQuery(let prompt, let context): return "rlm \(prompt) over \(context ?? "the same context")"
            }
        })
        #expect(results[0].stdout == "'answer to what is 2+2? from small'\n")
        #expect(results[1].stdout == "'rlm summarize over some text'\n")
        #expect(results[2].stdout == "'rlm again over the same context'\n")
        #expect(results[3].stdout == "'Error: provider said no'\n")
        #expect(await seen.calls == [.llmQuery(prompt: "what is 2+2?", model: "small"),
                                     .rlmQuery(prompt: "summarize", context: "some text"),
                                     .rlmQuery(prompt: "again", context: nil),
                                     .llmQuery(prompt: "fail please", model: nil)])
    }

    @Test func aBatchIsAnsweredConcurrentlyInOrderWithErrorsPerPrompt() async throws {
        let flight = InFlight()
        let cell = """
            out = llm_query_batched([f"p{i}" for i in range(64)])
            print(len(out), out[0], out[63], out[13])
            print(llm_query_batched([]))
            """
        let results = try await Harness.run([cell], configure: { $0.batchConcurrency = 16 }, subCalls: { call in
            await flight.enter(call)
            try? await Task.sleep(for: .milliseconds(100))
            await flight.leave()
            guard case .llmQuery(let prompt, _, _) = call else { return "" }
            if prompt == "p13" { throw ReplError("rate limited") }
            return prompt.uppercased()
        })
        #expect(results[0].error == nil)
        #expect(results[0].stdout == "64 P0 P63 Error: rate limited\n[]\n")
        #expect(await flight.most == 16)
        #expect(await flight.calls.count == 64)
        // Every prompt knows its place in the batch, and all share the batch's request id.
        let positions = await flight.calls.compactMap { call -> BatchPosition? in
            if case .llmQuery(_, _, let batch) = call { return batch }
            return nil
        }
        #expect(positions.map(\.index).sorted() == Array(0..<64))
        #expect(Set(positions.map(\.request)).count == 1 && positions.allSatisfy { $0.count == 64 })
    }

    @Test func aTimeoutInterruptsACellWaitingForASubCallAndKeepsVariables() async throws {
        let repl = Harness.repl(timeout: .seconds(1), subCalls: { _ in
            try await Task.sleep(for: .seconds(120))
            return "late"
        })
        _ = try await repl.execute("kept = 'yes'")
        let started = ContinuousClock.now
        let stuck = try await repl.execute("llm_query('slow')")
        #expect(ContinuousClock.now - started < .seconds(60))  // the reply would take 120 s
        #expect(stuck.timedOut)
        #expect(!stuck.stateLost)
        #expect(stuck.error?.hasPrefix("TimeoutError: the cell ran longer than 1 s") == true)
        #expect(try await repl.execute("kept").stdout == "'yes'\n")
        await repl.close()
    }

    @Test func cancellingTheCallerInterruptsTheCell() async throws {
        let repl = Harness.repl()
        _ = try await repl.execute("kept = 5")
        let task = Task { try await repl.execute("import time\nwhile True: time.sleep(0.01)") }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = try await task.value
        #expect(result.error?.contains("KeyboardInterrupt") == true)
        #expect(!result.timedOut && !result.stateLost)
        #expect(try await repl.execute("kept").stdout == "5\n")
        await repl.close()
    }
}
