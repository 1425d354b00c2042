import ContextStore
import Foundation
import RLMEngine
import Testing
import TestSupport

/// The one question path every front end uses: conversations, follow-ups, progress, sessions.
@Suite struct QuestionServiceTests {
    static func service(_ harness: EngineHarness, kept: Int = 16, replMemoryBytes: Int? = nil) -> QuestionService {
        let home = harness.fixture.root + "/../service"
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache",
                           "XDG_DATA_HOME": home + "/data", "XDG_STATE_HOME": home + "/state", "PATH": "/usr/bin:/bin"]
        return QuestionService(environment: environment, kept: kept, replMemoryBytes: replMemoryBytes, trajectories: harness.store)
    }

    static func setup(_ harness: EngineHarness) -> ModelSetup {
        ModelSetup(baseURL: harness.server!.baseURL.appendingPathComponent("v1").absoluteString, model: EngineHarness.root,
                   subModel: EngineHarness.sub)
    }

    static var options: RLMOptions {
        var options = RLMOptions()
        options.repl.cellTimeout = .seconds(20)
        return options
    }

    @Test func progressArrivesInOrderAndBeforeTheAnswerAndFollowUpsKeepTheirVariables() async throws {
        let harness = try await EngineHarness([
            reply("hit = grep('def retry')[0]\nanswers = llm_query_batched(['a', 'b'])\nprint(hit)"),
            reply("FINAL(f'{hit[0]}:{hit[1]}')"),
            reply("FINAL('again ' + hit[0])"),
            .echo("sub: ", model: EngineHarness.sub),
        ])
        let service = Self.service(harness)
        let seen = Recorder()
        let first = try await service.ask("Where?", context: .store(harness.snapshot), setup: Self.setup(harness), options: Self.options,
                                          progress: { await seen.add($0) })
        #expect(first.answer.answer == "src/retry.py:1")
        let steps = await seen.values
        #expect(steps.first?.step == .turnStarted && steps.first?.turn == 1)
        #expect(steps.filter { $0.step == .subCallStarted }.map(\.subCalls) == [1, 2])
        // Every model call is reported (the batch's two concurrently, so their totals may tie), the last
        // with the answer's totals, before `ask` returned.
        let calls = steps.filter { $0.step == .modelCalled }.map(\.calls)
        #expect(calls.count == 4 && calls == calls.sorted() && calls.last == 4)
        #expect(steps.last?.usage == first.answer.usage)
        #expect(steps.last?.line.hasPrefix("turn 2 · 2 sub-calls · ") == true)

        let second = try await service.ask(in: first.conversation, "And now?")
        #expect(second.conversation == first.conversation && second.answer.answer == "again src/retry.py")
        await service.closeAll()
        await #expect(throws: QuestionError.self) { try await service.ask(in: first.conversation, "Gone?") }
    }

    /// The config file's `[sandbox] memory_mb` caps the REPL's process tree; an option set by a flag wins.
    @Test func theConfigFileCapsTheSandboxsMemoryUnlessAFlagSaidOtherwise() async throws {
        let cell = "held = b'x' * (300 << 20)"
        let check = "FINAL('kept' if 'held' in globals() else 'lost')"
        var answers: [String] = []
        for treeMemoryBytes in [nil, 0] as [Int?] {
            // A harness each: its own scripted server, replies and response cache.
            let harness = try await EngineHarness([reply(cell), reply(check)])
            let folder = harness.fixture.root + "/../service/config/rlmd"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "[sandbox]\nmemory_mb = 150\n".write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
            var options = Self.options
            options.repl.limits.treeMemoryBytes = treeMemoryBytes
            let service = Self.service(harness)
            let answer = try await service.ask("Hold it", context: .store(harness.snapshot), setup: Self.setup(harness), options: options)
            let cells = try harness.store.load(answer.answer.trajectoryID)?.turns.flatMap(\.cells).map(\.result)
            answers.append(answer.answer.answer + (cells.map { " after \($0.count) cells" } ?? ""))
            await service.closeAll()
        }
        // Capped, the engine may run a cell more after the restart; what matters is the state it lost.
        #expect(answers.first?.hasPrefix("lost after") == true)
        #expect(answers.last == "kept after 2 cells")
    }

    /// Over the REPLs' memory budget, the least recently used idle conversation's REPL is closed;
    /// its follow-up runs in a new one and the model is told which variables were lost.
    @Test func overTheREPLBudgetTheOldestConversationsREPLCloses() async throws {
        let harness = try await EngineHarness([
            reply("kept = 5\nFINAL('first')"),
            reply("FINAL('second')"),
            reply("FINAL('kept' if 'kept' in globals() else 'lost')"),
        ])
        let service = Self.service(harness, replMemoryBytes: 1)  // any REPL is over it
        let first = try await service.ask("One?", context: .store(harness.snapshot), setup: Self.setup(harness), options: Self.options)
        let second = try await service.ask("Two?", context: .store(harness.snapshot), setup: Self.setup(harness), options: Self.options)
        #expect([first.answer.answer, second.answer.answer] == ["first", "second"])
        let followUp = try await service.ask(in: first.conversation, "And?")
        #expect(followUp.answer.answer == "lost")
        let requests = try await harness.requests(model: EngineHarness.root)
        let told = (requests.last?["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }.joined()
        #expect(told.contains("the REPL was closed meanwhile to free memory and started again, so your variables from then are gone (kept)"), "\(told)")
        await service.closeAll()

        // Without a budget both stay.
        let roomy = try await EngineHarness([reply("kept = 5\nFINAL('first')"), reply("FINAL('second')"),
                                             reply("FINAL('kept' if 'kept' in globals() else 'lost')")])
        let unbounded = Self.service(roomy, replMemoryBytes: 0)
        let again = try await unbounded.ask("One?", context: .store(roomy.snapshot), setup: Self.setup(roomy), options: Self.options)
        _ = try await unbounded.ask("Two?", context: .store(roomy.snapshot), setup: Self.setup(roomy), options: Self.options)
        #expect(try await unbounded.ask(in: again.conversation, "And?").answer.answer == "kept")
        await unbounded.closeAll()
    }

    @Test func aSecondQuestionOfABusyConversationIsRefusedAndOldConversationsAreClosed() async throws {
        let harness = try await EngineHarness([
            reply("import time\ntime.sleep(1)\nFINAL('slow')"),
            reply("FINAL('other')"),
        ])
        let service = Self.service(harness, kept: 1)
        let name = try await service.startConversation(context: .store(harness.snapshot), setup: Self.setup(harness), options: Self.options)
        let slow = Task { try await service.ask(in: name, "Slow?") }
        try await Task.sleep(for: .milliseconds(200))
        await #expect {
            try await service.ask(in: name, "Meanwhile?")
        } throws: { error in
            if case QuestionError.conversationBusy(let busy) = error { return busy == name }
            return false
        }
        #expect(try await slow.value.answer.answer == "slow")
        // Keeping one conversation, a new one closes the first.
        let other = try await service.ask("Other?", context: .store(harness.snapshot), setup: Self.setup(harness), options: Self.options)
        #expect(other.answer.answer == "other")
        #expect(await !service.hasConversation(name))
        #expect(await service.hasConversation(other.conversation))
        await service.closeAll()
    }

    @Test func sessionsAreFoundOrImportedOrTheReasonSaid() async throws {
        let harness = try await EngineHarness([reply("FINAL('s')")])
        let service = Self.service(harness)
        await #expect {
            try await service.sessionContext(file: nil, tool: "claude", workspace: harness.fixture.root)
        } throws: { error in
            if case QuestionError.noSession(tool: "claude", _) = error { return true }
            return false
        }
        let file = harness.fixture.root + "/../s.jsonl"
        try (#"{"type":"user","sessionId":"s","timestamp":"2026-11-01T12:00:00Z","message":{"role":"user","content":"Use Redis."}}"# + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let context = try await service.sessionContext(file: file, workspace: harness.fixture.root)
        #expect(context.snapshot?.documents.map(\.path) == ["#1"])
        await #expect(throws: QuestionError.self) {
            try await service.sessionContext(file: harness.fixture.root + "/../missing.jsonl", workspace: harness.fixture.root)
        }
    }
}

/// Collects progress values from a concurrent reporter.
actor Recorder {
    private(set) var values: [QuestionProgress] = []
    func add(_ value: QuestionProgress) { values.append(value) }
}
