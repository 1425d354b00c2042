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

    static func options(_ server: ScriptedServer) -> JSONValue {
        .object(["baseUrl": .string("http://127.0.0.1:\(server.port)/v1"), "model": .string("root-model"),
                 "subModel": .string("sub-model"), "budgets": .object(["maxIterations": .int(5)])])
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
        let asked = await client.request(Ask.method, .object(["question": .string("Where is retry?"), "workDoneToken": .string("t1")]))
        let answer = try #require(asked.value, "\(String(describing: asked.failure))")
        #expect(answer["answer"] == .string("src/retry.py:1"))
        #expect(answer["partial"] == .bool(false))
        #expect(answer["citations"] == .array([.object(["path": .string("src/retry.py"), "startLine": .int(1), "endLine": .int(1),
                                                          "resolved": .bool(true), "excerpt": .string("def retry(call, attempts=3):")])]))
        #expect(answer["usage"]?["calls"] == .int(2))
        let progress = client.progress(token: "t1")
        #expect(progress.first == "begin" && progress.last == "end" && progress.contains("report"))
        // Plugins read fields, never the message text.
        let values = client.progressValues(token: .string("t1"))
        let reports = values.filter { $0["kind"] == .string("report") }
        #expect(reports.map { $0["turn"] } == [.int(1), .int(2)])
        #expect(reports.last?["tokens"] == .int(34) && reports.last?["subCalls"] == .int(0) && reports.last?["costUsd"] == .int(0))
        #expect(values.last?["trajectory"] == answer["trajectory"] && values.last?["conversation"] == answer["conversation"])
        #expect(values.last?["partial"] == .bool(false) && values.last?["reason"] == nil)

        let conversation = try #require(answer["conversation"]?.stringValue)
        let followed = await client.request(FollowUp.method, .object(["conversation": .string(conversation), "question": .string("Sure?")]))
        #expect(followed.value?["answer"] == .string("still src/retry.py after src/retry.py:1"))
        #expect(followed.value?["conversation"] == .string(conversation))
        #expect(await client.request(FollowUp.method, .object(["conversation": .string("gone"), "question": .string("?")])).failure?.code
                == .invalidParams)

        let trajectory = try #require(answer["trajectory"]?.stringValue)
        let lines = await client.request(TrajectoryRequest.method, .object(["id": .string(trajectory)])).value?["jsonl"]?.stringValue
        #expect(lines?.split(separator: "\n").count == 3)
        #expect(await client.request(Status.method).value?["spend"]?["calls"] == .int(3))

        let command = await client.request(ExecuteCommand.method, .object(["command": .string("rlm.reindex")]))
        #expect(command.value?["files"] == .int(2))
        #expect(await client.request(ExecuteCommand.method, .object(["command": .string("rlm.nope")])).failure?.code == .invalidParams)
        #expect(await client.request(Sessions.method).value == .array([]))
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
        for (sandbox, expected) in [(JSONValue.object([:]), "1 1"), (.object(["exactText": .bool(true)]), "0 1"),
                                    (.object(["memoryMb": .int(150)]), "lost")] {
            guard case .object(var options) = Self.options(server) else {
                Issue.record("the test's initializationOptions are not an object")
                return
            }
            options["sandbox"] = sandbox
            let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
            _ = await client.initialize(root: fixture.root, options: .object(options))
            let asked = await client.request(Ask.method, .object(["question": .string("Which?")]))
            #expect(asked.value?["answer"] == .string(expected), "\(sandbox): \(String(describing: asked.failure))")
            #expect(await client.exit() == 1)
        }
    }

    @Test func aClientThatSupportsItGetsProgressUnderATokenTheServerCreates() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('done')\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server),
                                    capabilities: .object(["window": .object(["workDoneProgress": .bool(true)])]))
        #expect(await client.request(Ask.method, .object(["question": .string("Q")])).value?["answer"] == .string("done"))
        let created = client.notifications("window/workDoneProgress/create")
        #expect(created.count == 2)  // one for the first index build, one for the question
        for token in created.compactMap({ $0.params["token"]?.stringValue }) {
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
        client.send(Ask.method, .object(["question": .string("slow one")]), id: first)
        client.send(Ask.method, .object(["question": .string("slow two"), "workDoneToken": .int(9)]), id: second)
        var jobs: JSONValue?
        for _ in 0..<300 {
            let status = await client.request(Status.method, timeout: .seconds(1))
            jobs = status.value?["jobs"]
            if case .array(let list) = jobs, list.count == 2, list.allSatisfy({ $0["turn"] == .int(1) }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard case .array(let list) = jobs else { Issue.record("no jobs in status"); return }
        #expect(list.count == 2)
        try await Task.sleep(for: .milliseconds(300))  // let the cells start sleeping
        let started = ContinuousClock.now
        client.send(CancelRequest.method, .object(["id": .int(Int("\(first)")!)]), id: nil)
        client.send(WorkDoneProgressCancel.method, .object(["token": .int(9)]), id: nil)
        let cancelled = await client.response(first)
        #expect(cancelled.failure?.code == .requestCancelled)
        #expect(cancelled.failure?.data?["trajectory"]?.stringValue != nil)
        let secondCancelled = await client.response(second)
        #expect(secondCancelled.failure?.code == .requestCancelled)
        // The end of the one with a token names the partial trajectory (Neovim 0.7 never shows the -32800 answer).
        let end = client.progressValues(token: .int(9)).last
        #expect(end?["kind"] == .string("end") && end?["reason"] == .string("cancelled") && end?["partial"] == .bool(true))
        #expect(end?["trajectory"] != nil && end?["trajectory"] == secondCancelled.failure?.data?["trajectory"])
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(await client.request(Status.method).value?["jobs"] == .array([]))
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
        let conversation = try #require(await client.request(Ask.method, .object(["question": .string("Q")])).value?["conversation"])
        let slow = client.newID()
        client.send(FollowUp.method, .object(["conversation": conversation, "question": .string("slow")]), id: slow)
        for _ in 0..<300 {
            if case .array(let jobs) = await client.request(Status.method, timeout: .seconds(1)).value?["jobs"],
               jobs.first?["turn"] == .int(1) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let second = await client.request(FollowUp.method, .object(["conversation": conversation, "question": .string("again")]))
        #expect(second.failure?.code == .conversationBusy, "\(second)")
        #expect(second.failure?.message.contains("still running") == true)
        client.send(CancelRequest.method, .object(["id": .int(Int("\(slow)")!)]), id: nil)
        #expect(await client.response(slow).failure?.code == .requestCancelled)
        #expect(await client.exit() == 1)
    }

    @Test func aDuplicateIdIsRefusedAndAClientThatHangsUpMidRequestEndsTheServer() async throws {
        let fixture = try Self.workspace()
        let server = try await ScriptedServer([.openAI("```repl\nimport time\ntime.sleep(30)\n```", model: "root-model")])
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root, options: Self.options(server))
        let id = client.newID()
        client.send(Ask.method, .object(["question": .string("slow")]), id: id)
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
        let summary = await client.request(SummarizeSession.method, .object(["file": .string(fixture.root + "/s.jsonl")]))
        #expect(summary.value?["answer"] == .string("Goal: Redis (#1)."))
        #expect(summary.value?["citations"] == .array([.object(["path": .string("#1"), "startLine": .int(1), "endLine": .int(1),
                                                                 "resolved": .bool(true), "excerpt": .string("Use Redis.")])]))
        #expect(await client.exit() == 1)
    }
}
