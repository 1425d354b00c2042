import Foundation
import GRDB
import Logging
import Testing
import TestSupport
@testable import ContextStore

/// Session fixtures written as the tools write them; each test imports into its own store.
@Suite struct SessionTests {
    static func jsonLine(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
    }

    static func claudeLines(session: String = "abc-123") -> [String] {
        [
            jsonLine(["type": "summary", "summary": "Fix the cache TTL", "leafUuid": "u6"]),
            jsonLine(["type": "file-history-snapshot", "messageId": "m0", "snapshot": [:] as [String: Any]]),
            jsonLine(["type": "user", "sessionId": session, "uuid": "u1", "cwd": "/w", "timestamp": "2026-11-01T12:00:00Z",
                      "message": ["role": "user", "content": "Why does the cache expire early?"]]),
            jsonLine(["type": "assistant", "sessionId": session, "uuid": "u2", "parentUuid": "u1", "timestamp": "2026-11-01T12:00:05Z",
                      "message": ["id": "msg1", "role": "assistant", "model": "claude-sonnet-4-5",
                                  "content": [["type": "thinking", "thinking": "Look at the ttl."], ["type": "text", "text": "Checking the TTL."]],
                                  "usage": ["input_tokens": 100, "output_tokens": 20, "cache_read_input_tokens": 50, "cache_creation_input_tokens": 5]]]),
            jsonLine(["type": "assistant", "sessionId": session, "uuid": "u3", "parentUuid": "u2", "timestamp": "2026-11-01T12:00:06Z",
                      "message": ["id": "msg1", "role": "assistant", "content": [["type": "tool_use", "id": "t1", "name": "Bash", "input": ["command": "grep -rn ttl src/"]]]]]),
            jsonLine(["type": "user", "sessionId": session, "uuid": "u4", "parentUuid": "u3", "timestamp": "2026-11-01T12:00:07Z",
                      "message": ["role": "user", "content": [["type": "tool_result", "tool_use_id": "t1", "content": "src/cache.py:12: TTL = 5", "is_error": false]]]]),
            jsonLine(["type": "system", "subtype": "compact_boundary", "sessionId": session, "uuid": "u5", "content": "Conversation compacted",
                      "timestamp": "2026-11-01T13:00:00Z"]),
            jsonLine(["type": "user", "sessionId": session, "uuid": "u6", "isCompactSummary": true, "timestamp": "2026-11-01T13:00:01Z",
                      "message": ["role": "user", "content": "We decided TTL=300 because of upstream limits."]]),
            "this line is not json\n",
        ]
    }

    @Test func claudeSessionWithSubagentsCompactionAndBadLines() throws {
        let fixture = try Fixture()
        let folder = fixture.root + "/projects/-w"
        let main = "\(folder)/abc-123.jsonl"
        try fixture.write("projects/-w/abc-123.jsonl", Self.claudeLines().joined() + #"{"type":"assistant","message":{"role":"assist"#)
        try fixture.write("projects/-w/abc-123/subagents/agent-x1.jsonl", Self.jsonLine([
            "type": "user", "sessionId": "abc-123", "isSidechain": true, "uuid": "s1", "timestamp": "2026-11-01T12:30:00Z",
            "message": ["role": "user", "content": "Find every TTL constant"]]))
        try fixture.write("projects/-w/agent-old.jsonl", Self.jsonLine([
            "type": "assistant", "sessionId": "abc-123", "isSidechain": true, "uuid": "s2", "timestamp": "2026-11-01T12:31:00Z",
            "message": ["role": "assistant", "content": [["type": "text", "text": "Found two TTL constants."]]]]))
        try fixture.write("projects/-w/agent-other.jsonl", Self.jsonLine(["type": "user", "sessionId": "someone-else", "message": ["role": "user", "content": "no"]]))

        let report = try SessionImporter.refresh(file: main, location: fixture.store)
        #expect(report.format == "claude" && report.session == "abc-123")
        #expect(report.messages == 5)
        #expect(report.byRole == ["user": 2, "assistant": 2, "tool": 1, "system": 1, "summary": 1, "other": 2])
        #expect(report.malformedLines == 1 && report.malformedExamples.first?.hasPrefix("line 9:") == true)
        #expect(report.unknownTypes == ["file-history-snapshot": 1])
        #expect(report.subagents == 2)
        #expect(report.pendingBytes > 0)

        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.count == 11)
        let thinking = try #require(snapshot.document(path: "#4"))
        #expect(thinking.role == "assistant" && thinking.timestamp == "2026-11-01T12:00:05Z")
        #expect(snapshot.text(of: thinking) == "[thinking]\nLook at the ttl.\nChecking the TTL.")
        #expect(snapshot.slice(chars: thinking.recordCharOffset..<thinking.charOffset) == "[#4 2026-11-01T12:00:05Z assistant]\n")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#5"))) == "[tool call: Bash]\ncommand: grep -rn ttl src/")
        #expect(snapshot.document(path: "#5")?.toolName == "Bash")
        #expect(snapshot.document(path: "#6")?.role == "tool")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#7"))) == "[compact boundary] Conversation compacted")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#8"))).hasPrefix("[compact summary]\nWe decided TTL=300"))
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#2"))).contains("file-history-snapshot"))
        #expect(snapshot.text(of: try #require(snapshot.document(path: "agent-x1#1"))) == "Find every TTL constant")
        #expect(try snapshot.search("upstream limits").first?.path == "#8")
        #expect(try snapshot.grep("TTL constants").map(\.path) == ["agent-old#1"])

        let row = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Row.fetchOne(db, sql: "SELECT model, input_tokens, output_tokens, cache_read_tokens, uuid, parent_uuid FROM documents WHERE path = '#4'")
        }
        let model: String? = row?[0], input: Int? = row?[1], output: Int? = row?[2], cacheRead: Int? = row?[3]
        let uuid: String? = row?[4], parent: String? = row?[5]
        #expect(model == "claude-sonnet-4-5")
        #expect(input == 100 && output == 20 && cacheRead == 50)
        #expect(uuid == "u2" && parent == "u1")
        let agent = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Row.fetchOne(db, sql: "SELECT session, parent_session, sidechain FROM documents WHERE path = 'agent-x1#1'")
        }
        let agentSession: String? = agent?[0], agentParent: String? = agent?[1], sidechain: Int? = agent?[2]
        #expect(agentSession == "agent-x1" && agentParent == "abc-123" && sidechain == 1)
    }

    @Test func growingSessionImportsOnlyNewLines() throws {
        let fixture = try Fixture()
        let lines = Self.claudeLines()
        let path = fixture.root + "/s.jsonl"
        try fixture.write("s.jsonl", lines[2...4].joined() + String(lines[5].dropLast(10)))
        let first = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(first.added == 3 && first.pendingBytes > 0)
        #expect(try SessionImporter.refresh(file: path, location: fixture.store).added == 0)

        // The writer finishes its line and appends two more.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((String(lines[5].suffix(10)) + lines[6] + lines[7]).utf8))
        try handle.close()
        let second = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(second.added == 3 && second.pendingBytes == 0)
        #expect(second.messages == 5)
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map(\.path) == ["#1", "#2", "#3", "#4", "#5", "#6"])
        #expect(snapshot.document(path: "#4")?.role == "tool")
        for document in snapshot.documents {
            #expect(snapshot.slice(chars: document.charOffset..<(document.charOffset + document.charLength)) == snapshot.text(of: document))
        }

        // Rewritten in place (shorter): imported again from the start.
        try fixture.write("s.jsonl", lines[2])
        let third = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(third.added == 1 && third.messages == 1)
        #expect(try fixture.snapshot().documents.map(\.path) == ["#1"])
    }

    @Test func searchCatchesUpWithImportsThatDeferIt() throws {
        let fixture = try Fixture()
        let lines = Self.claudeLines()
        let path = fixture.root + "/s.jsonl"
        try fixture.write("s.jsonl", lines[2...3].joined())
        try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(!SearchShards.exist(fixture.store))  // the import left search for later
        #expect(try fixture.snapshot().search("cache expire").map(\.path) == ["#1"])
        #expect(SearchShards.exist(fixture.store))

        // Appended lines: only they are added to the shards, so nothing is found twice.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines[4] + lines[5]).utf8))
        try handle.close()
        try SessionImporter.refresh(file: path, location: fixture.store)
        SearchCatchUp.startInBackground(fixture.store, logger: Logger(label: "test"))
        let snapshot = try fixture.snapshot()  // may be taken while the catch-up runs: search waits for it
        #expect(try snapshot.search("ttl", limit: 50).map(\.path).sorted() == ["#2", "#3", "#4"])
        #expect(try SearchCatchUp.run(fixture.store) == false)

        // Rewritten shorter: the removed messages leave the shards too.
        try fixture.write("s.jsonl", lines[2])
        try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(try fixture.snapshot().search("ttl", limit: 50).isEmpty)
        #expect(try fixture.snapshot().search("expire").map(\.path) == ["#1"])
    }

    @Test func aFirstImportRebuildsTheIndexesItDropped() throws {
        let fixture = try Fixture()
        try fixture.write("s.jsonl", Self.claudeLines().joined())
        try SessionImporter.refresh(file: fixture.root + "/s.jsonl", location: fixture.store)
        let migrated = try DatabaseQueue()
        try StoreSchema.migrator.migrate(migrated)
        func indexes(_ db: some DatabaseReader) throws -> [String: [String]] {
            try db.read { db in
                var found: [String: [String]] = [:]
                for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents'") {
                    found[name] = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?)", arguments: [name])
                }
                return found
            }
        }
        let imported = try DatabaseQueue(path: fixture.store.databasePath)
        #expect(try indexes(imported) == indexes(migrated))
        #expect(try indexes(imported)["documents_by_session"] == ["session", "message_index"])
    }

    @Test func codexRollout() throws {
        let fixture = try Fixture()
        let lines = [
            Self.jsonLine(["timestamp": "2026-11-02T09:00:00Z", "type": "session_meta",
                           "payload": ["id": "cdx-1", "cwd": "/w", "cli_version": "0.50.0"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:01Z", "type": "turn_context", "payload": ["model": "gpt-5-codex", "cwd": "/w"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:02Z", "type": "response_item",
                           "payload": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "Rename the flag"]]]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:03Z", "type": "response_item",
                           "payload": ["type": "reasoning", "summary": [["type": "summary_text", "text": "Need to grep."]], "encrypted_content": "xyz"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:04Z", "type": "response_item",
                           "payload": ["type": "function_call", "name": "shell", "arguments": "{\"command\":[\"rg\",\"flag\"]}", "call_id": "c1"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:05Z", "type": "response_item",
                           "payload": ["type": "function_call_output", "call_id": "c1", "output": "src/flags.rs:3: OLD_FLAG"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:06Z", "type": "event_msg", "payload": ["type": "agent_message", "message": "Renaming now"]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:07Z", "type": "response_item",
                           "payload": ["type": "message", "role": "assistant", "content": [["type": "output_text", "text": "Renamed OLD_FLAG to NEW_FLAG."]]]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:08Z", "type": "compacted", "payload": ["message": "Flag renamed."]]),
            Self.jsonLine(["timestamp": "2026-11-02T09:00:09Z", "type": "brand_new_type", "payload": ["x": 1]]),
        ]
        try fixture.write("rollout.jsonl", lines.joined())
        let report = try SessionImporter.refresh(file: fixture.root + "/rollout.jsonl", location: fixture.store)
        #expect(report.format == "codex" && report.session == "cdx-1")
        #expect(report.messages == 5)
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 2, toolCalls: 1, toolResults: 1))
        #expect(report.byRole["tool"] == 1 && report.byRole["event"] == nil)
        #expect(report.duplicates == 1)  // the agent_message event repeats the assistant's message
        #expect(report.unknownTypes == ["brand_new_type": 1])
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.count == 9)
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#5"))) == "[tool call: shell]\ncommand: rg flag")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#4"))) == "[reasoning]\nNeed to grep.")
        #expect(try snapshot.grep("NEW_FLAG").map(\.path) == ["#7"])
    }

    @Test func aiderHistory() throws {
        let fixture = try Fixture()
        try fixture.write(".aider.chat.history.md", """
            # aider chat started at 2026-11-03 10:00:00

            > Add src/app.py to the chat? (Y)es/(N)o [Yes]: y

            #### make the retry count configurable
            #### and document it

            I'll add a `--retries` option.

            ```python
            RETRIES = 3
            ```

            > Applied edit to src/app.py

            """)
        let report = try SessionImporter.refresh(file: fixture.root + "/.aider.chat.history.md", location: fixture.store)
        #expect(report.format == "aider")
        #expect(report.byRole == ["system": 1, "tool": 2, "user": 1, "assistant": 1])
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 1, toolCalls: 0, toolResults: 2))
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map { $0.role ?? "" } == ["system", "tool", "user", "assistant", "tool"])
        #expect(snapshot.text(of: snapshot.documents[2]) == "make the retry count configurable\nand document it")
        #expect(snapshot.text(of: snapshot.documents[3]).contains("RETRIES = 3"))
    }

    @Test func genericMessagesFileAndLines() throws {
        let fixture = try Fixture()
        try fixture.write("chat.json", """
            {"messages": [
              {"role": "system", "content": "You are terse."},
              {"role": "user", "content": "List the files"},
              {"role": "assistant", "content": null, "tool_calls": [{"function": {"name": "ls", "arguments": "{}"}}]},
              {"role": "tool", "name": "ls", "content": "a.py b.py"},
              {"role": "assistant", "content": [{"type": "text", "text": "a.py and b.py"}]}
            ]}
            """)
        let report = try SessionImporter.refresh(file: fixture.root + "/chat.json", location: fixture.store)
        #expect(report.format == "generic" && report.messages == 4)
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 1, toolCalls: 1, toolResults: 1))
        #expect(report.byRole == ["system": 1, "user": 1, "assistant": 2, "tool": 1])

        let other = try Fixture()
        try other.write("chat.jsonl", Self.jsonLine(["role": "user", "content": "hi"]) + Self.jsonLine(["role": "assistant", "content": "hello"]))
        let lines = try SessionImporter.refresh(file: other.root + "/chat.jsonl", location: other.store)
        #expect(lines.format == "generic" && lines.messages == 2)
    }

    @Test func rejectsBinaryAndUnknownFiles() throws {
        let fixture = try Fixture()
        try fixture.write("image.png", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01]))
        try fixture.write("notes.txt", "just some notes\n")
        #expect(throws: SessionImportError.self) { try SessionImporter.refresh(file: fixture.root + "/image.png", location: fixture.store) }
        #expect(throws: SessionImportError.self) { try SessionImporter.refresh(file: fixture.root + "/notes.txt", location: fixture.store) }
        #expect(throws: SessionImportError.self) { try SessionImporter.refresh(file: fixture.root + "/missing.jsonl", location: fixture.store) }
        // Forcing a format imports what it can and counts the rest.
        let forced = try SessionImporter.refresh(file: fixture.root + "/notes.txt", format: .claude, location: fixture.store)
        #expect(forced.malformedLines == 1)
    }

    @Test func formatDetection() {
        func detect(_ text: String) -> SessionFormat? { SessionFormat.detect(SessionPrefix(bytes: Array(text.utf8), isWholeFile: true)) }
        #expect(detect(Self.claudeLines().joined()) == .claude)
        #expect(detect(#"{"timestamp":"t","type":"session_meta","payload":{"id":"x"}}"#) == .codex)
        #expect(detect("# aider chat started at 2026-01-01 00:00:00\n") == .aider)
        #expect(detect("{\n  \"messages\": []\n}") == .generic)
        #expect(detect(#"{"role":"user","content":"x"}"#) == .generic)
        #expect(detect("hello") == nil)
    }

    @Test func discoveryFindsSessionsOfAWorkspace() throws {
        let home = try Fixture()
        let workspace = "/home/me/proj"
        try home.write("claude/projects/-home-me-proj/s1.jsonl", Self.claudeLines(session: "s1").joined())
        try home.write("claude/projects/-home-me-proj/s2.jsonl", Self.claudeLines(session: "s2")[2])
        try home.write("claude/projects/-home-me-other/s3.jsonl", Self.claudeLines(session: "s3")[2])
        try home.write("codex/sessions/2026/11/02/rollout-2026-11-02T09-00-00-abc.jsonl", Self.jsonLine(
            ["timestamp": "t", "type": "session_meta", "payload": ["id": "cdx", "cwd": workspace]]))
        try home.write("codex/sessions/2026/11/02/rollout-2026-11-02T10-00-00-def.jsonl", Self.jsonLine(
            ["timestamp": "t", "type": "session_meta", "payload": ["id": "elsewhere", "cwd": "/tmp"]]))
        let old = Date().addingTimeInterval(-3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: home.root + "/claude/projects/-home-me-proj/s1.jsonl")
        let environment = ["CLAUDE_CONFIG_DIR": home.root + "/claude", "CODEX_HOME": home.root + "/codex", "HOME": home.root]

        let sessions = SessionDiscovery.all(workspace: workspace, environment: environment)
        #expect(Set(sessions.map(\.id)) == ["s1", "s2", "cdx"])
        let first = try #require(sessions.first { $0.id == "s1" })
        #expect(first.tool == "claude" && first.messages == 5 && first.title == "Fix the cache TTL")
        #expect(first.firstTimestamp == "2026-11-01T12:00:00Z" && first.lastTimestamp == "2026-11-01T13:00:01Z")
        // s1's last message is the newest, though s2 was modified later.
        #expect(sessions.filter { $0.tool == "claude" }.map(\.id) == ["s1", "s2"])
        #expect(SessionDiscovery.latest(tool: "claude", workspace: workspace, environment: environment)?.hasSuffix("s1.jsonl") == true)
        #expect(SessionDiscovery.latest(tool: "codex", workspace: workspace, environment: environment)?.contains("abc") == true)
    }
}
