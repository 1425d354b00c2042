import Foundation
import RLMProtocol
import Testing
import TestSupport

@Suite struct QuestionTests {
    static func workspace() throws -> Fixture {
        let fixture = try Fixture()
        try fixture.write("src/retry.py", "def retry(call, attempts=3):\n    return call()\n")
        try fixture.write("README.md", "# Sample\n")
        return fixture
    }

    static func options(_ server: ScriptedServer) -> Initialize.Options {
        Initialize.Options(baseUrl: "http://127.0.0.1:\(server.port)/v1", model: "root-model", subModel: "sub-model",
                           budgets: Budgets(maxIterations: 5))
    }

    @Test func askWithProgressThenAFollowUpInTheSameConversation() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([
            .openAI("```repl\nwhere = grep('def retry')[0]\nprint(where)\n```", model: "root-model"),
            .openAI("```repl\nFINAL(f'{where[0]}:{where[1]}')\n```", model: "root-model"),
            .openAI("```repl\nFINAL('still ' + where[0] + ' after ' + history[0]['answer'])\n```", model: "root-model"),
        ])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let answer = try await client.call(Ask.self, Ask.Params(question: "Where is retry?", workDoneToken: .string("t1")))
        #expect(answer.answer == "src/retry.py:1")
        #expect(answer.partial == false)
        #expect(answer.citations == [CitedLocation(path: "src/retry.py", startLine: 1, endLine: 1, resolved: true,
                                                   excerpt: "def retry(call, attempts=3):")])
        #expect(answer.usage.calls == 2)
        let progress = client.progress(token: "t1")
        #expect(progress.first == "begin" && progress.last == "end" && progress.contains("report"))
        // Plugins read fields, never the message text.
        let values = client.workDone(token: .string("t1"))
        let reports = values.filter { $0.kind == .report }
        #expect(reports.map(\.turn) == [1, 2])
        #expect(reports.last?.tokens == 34 && reports.last?.subCalls == 0 && reports.last?.costUsd == 0)
        #expect(values.last?.trajectory == answer.trajectory && values.last?.conversation == answer.conversation)
        #expect(values.last?.partial == false && values.last?.reason == nil)

        let followed = try await client.call(FollowUp.self, FollowUp.Params(conversation: answer.conversation, question: "Sure?"))
        #expect(followed.answer == "still src/retry.py after src/retry.py:1")
        #expect(followed.conversation == answer.conversation)
        #expect(await client.request(FollowUp.self, FollowUp.Params(conversation: "gone", question: "?")).failure?.code == .invalidParams)

        let lines = try await client.call(TrajectoryRequest.self, TrajectoryRequest.Params(id: answer.trajectory)).jsonl
        #expect(lines?.split(separator: "\n").count == 3)
        #expect(try await client.call(Status.self).spend.calls == 3)

        let command = await client.request(ExecuteCommand.self, ExecuteCommand.Params(command: "rlm.reindex"))
        #expect(command.value?["files"] == .int(2))
        #expect(await client.request(ExecuteCommand.self, ExecuteCommand.Params(command: "rlm.nope")).failure?.code == .invalidParams)
        #expect(await client.request(Sessions.self).value == [])
        #expect(await client.exit() == 1)
    }

    /// `initializationOptions.sandbox`: `exactText` makes `context` hold an emoji as it is, and
    /// `memoryMb` caps the REPL's process tree.
    @Test func sandboxOptionsReachTheREPL() async throws {
        let fixture = try Self.workspace()
        try fixture.write("notes.md", "launch 🚀\n")
        let probe = ScriptStep.openAI("```repl\nFINAL(str(sum(c == '\\ufffd' for c in context)) + ' ' + str(len(grep('🚀'))))\n```", model: "root-model")
        let hold = ScriptStep.openAI("```repl\nheld = b'x' * (300 << 20)\n```", model: "root-model")
        let check = ScriptStep.openAI("```repl\nFINAL('kept' if 'held' in globals() else 'lost')\n```", model: "root-model")
        let server = try await ScriptedServer([probe, probe, hold, check])
        for (sandbox, expected) in [(SandboxOptions(), "1 1"), (SandboxOptions(exactText: true), "0 1"), (SandboxOptions(memoryMb: 150), "lost")] {
            var options = Self.options(server)
            options.sandbox = sandbox
            let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
            _ = await client.initialize(root: fixture.root, options: options)
            let asked = await client.request(Ask.self, Ask.Params(question: "Which?"))
            #expect(asked.value?.answer == expected, "\(sandbox): \(String(describing: asked.failure))")
            #expect(await client.exit() == 1)
        }
    }

    @Test func aClientThatSupportsItGetsProgressUnderATokenTheServerCreates() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('done')\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server),
                                    capabilities: .object(["window": .object(["workDoneProgress": .bool(true)])]))
        #expect(await client.request(Ask.self, Ask.Params(question: "Q")).value?.answer == "done")
        let created = client.serverRequests(WorkDoneProgressCreate.self)
        #expect(created.count == 2)  // one for the first index build, one for the question
        for case .string(let token) in created.map(\.token) {
            #expect(client.progress(token: token).first == "begin" && client.progress(token: token).last == "end", "\(token)")
        }
        #expect(await client.exit() == 1)
    }

    @Test func cancellingAnAskAnswersMinus32800WhileStatusKeepsAnswering() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([
            .openAI("```repl\nimport time\ntime.sleep(30)\n```", model: "root-model"),
        ])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let first = client.newID(), second = client.newID()
        client.send(Ask.self, Ask.Params(question: "slow one"), id: first)
        client.send(Ask.self, Ask.Params(question: "slow two", workDoneToken: .int(9)), id: second)
        let begun = try await client.nextNotification(ofType: RLMProtocol.Progress.self) { $0.token == .int(9) }
        #expect(begun.value.kind == .begin)
        var jobs: [Status.Job]?
        for _ in 0..<300 {
            jobs = await client.request(Status.self, timeout: .seconds(1)).value?.jobs
            if let list = jobs, list.count == 2, list.allSatisfy({ $0.turn == 1 }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard let list = jobs else { Issue.record("no jobs in status"); return }
        #expect(list.count == 2)
        try await Task.sleep(for: .milliseconds(300))  // let the cells start sleeping
        let started = ContinuousClock.now
        client.notify(CancelRequest.self, CancelRequest.Params(id: first))
        client.notify(WorkDoneProgressCancel.self, WorkDoneProgressCancel.Params(token: .int(9)))
        let cancelled = await client.response(first)
        #expect(cancelled.failure?.code == .requestCancelled)
        #expect(cancelled.failure?.data?["trajectory"]?.stringValue != nil)
        let secondCancelled = await client.response(second)
        #expect(secondCancelled.failure?.code == .requestCancelled)
        // The end of the one with a token names the partial trajectory (Neovim 0.7 never shows the -32800 answer).
        let end = client.workDone(token: .int(9)).last
        #expect(end?.kind == .end && end?.reason == .cancelled && end?.partial == true)
        #expect(end?.trajectory != nil && end?.trajectory == secondCancelled.failure?.data?["trajectory"]?.stringValue)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(await client.request(Status.self).value?.jobs == [])
        #expect(await client.exit() == 1)
    }

    @Test func aSecondFollowUpWhileTheConversationIsBusyIsRefusedWithMinus32906() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([
            .openAI("```repl\nFINAL('first')\n```", model: "root-model"),
            .openAI("```repl\nimport time\ntime.sleep(30)\n```", model: "root-model"),
        ])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let conversation = try await client.call(Ask.self, Ask.Params(question: "Q")).conversation
        let slow = client.newID()
        client.send(FollowUp.self, FollowUp.Params(conversation: conversation, question: "slow"), id: slow)
        for _ in 0..<300 {
            if await client.request(Status.self, timeout: .seconds(1)).value?.jobs.first?.turn == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let second = await client.request(FollowUp.self, FollowUp.Params(conversation: conversation, question: "again"))
        #expect(second.failure?.code == .conversationBusy, "\(second)")
        #expect(second.failure?.message.contains("still running") == true)
        client.notify(CancelRequest.self, CancelRequest.Params(id: slow))
        #expect(await client.response(slow).failure?.code == .requestCancelled)
        #expect(await client.exit() == 1)
    }

    @Test func aDuplicateIdIsRefusedAndAClientThatHangsUpMidRequestEndsTheServer() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nimport time\ntime.sleep(30)\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let id = client.newID()
        client.send(Ask.self, Ask.Params(question: "slow"), id: id)
        try await Task.sleep(for: .milliseconds(300))
        client.send(Status.method, id: id)
        #expect(await client.response(id).failure?.code == .invalidRequest)
        let started = ContinuousClock.now
        #expect(await client.hangUp() == 1)  // the running ask is cancelled, its REPL closed
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func summarizeSessionImportsTheFileAndAsks() async throws {
        let fixture = try Self.workspace()
        try fixture.write("s.jsonl", #"{"type":"user","sessionId":"s","timestamp":"2026-11-01T12:00:00Z","message":{"role":"user","content":"Use Redis."}}"# + "\n")
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('Goal: Redis (#1).')\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let summary = await client.request(SummarizeSession.self, SummarizeSession.Params(file: fixture.root + "/s.jsonl"))
        #expect(summary.value?.answer == "Goal: Redis (#1).")
        #expect(summary.value?.citations == [CitedLocation(path: "#1", startLine: 1, endLine: 1, resolved: true, excerpt: "Use Redis.")])
        #expect(await client.exit() == 1)
    }
}
