import Foundation
import GRDB
import Testing
import TestSupport
@testable import ContextStore

/// Session files of the shapes real transcripts take: saved on Windows, cut at the front, empty,
/// written by older tool versions, holding tool inputs full of quotes and newlines.
@Suite struct TranscriptShapeTests {
    static let line = SessionTests.jsonLine

    static func claude(_ type: String, _ uuid: String, parent: String? = nil, at second: Int, _ content: Any,
                       extra: [String: Any] = [:]) -> String {
        var record: [String: Any] = ["type": type, "sessionId": "cc-1", "uuid": uuid, "timestamp": String(format: "2026-11-05T10:00:%02dZ", second),
                                     "message": ["role": type, "content": content]]
        if let parent { record["parentUuid"] = parent }
        record.merge(extra) { $1 }
        return line(record)
    }

    /// Every document's path, role and text, to compare two imports by.
    static func documents(_ fixture: Fixture) throws -> [String] {
        let snapshot = try fixture.snapshot()
        return snapshot.documents.map { "\($0.path) \($0.role ?? "-") \(snapshot.text(of: $0))" }
    }

    static func importing(_ text: String, as name: String = "s.jsonl", expected: SessionFormat? = nil) throws -> (SessionImportReport, Fixture) {
        let fixture = try Fixture()
        try fixture.write(name, text)
        return (try SessionImporter.refresh(file: fixture.root + "/" + name, expected: expected, location: fixture.store), fixture)
    }

    static let claudeSession = SessionTests.claudeLines().dropLast().joined()  // without its bad last line

    @Test func crlfLineEndingsAndAByteOrderMarkImportAsPlainLines() throws {
        let codex = [
            Self.line(["timestamp": "2026-11-02T09:00:00Z", "type": "session_meta", "payload": ["id": "cdx-9", "cwd": "/w"]]),
            Self.line(["timestamp": "2026-11-02T09:00:01Z", "type": "response_item",
                  "payload": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "line one\r\nline two"]]]]),
        ].joined()
        for original in [Self.claudeSession, codex] {
            let (plain, plainFixture) = try Self.importing(original)
            let windows = "\u{FEFF}" + original.replacingOccurrences(of: "}\n", with: "}\r\n")
            let (crlf, crlfFixture) = try Self.importing(windows)
            #expect(crlf.format == plain.format && crlf.format != "generic")
            #expect(crlf.messageCounts == plain.messageCounts && crlf.malformedLines == 0 && crlf.pendingBytes == 0)
            #expect(try Self.documents(crlfFixture) == Self.documents(plainFixture))
        }
        let aider = "# aider chat started at 2026-11-03 10:00:00\n\n#### make it faster\n\nUse a cache.\n\n> Applied edit to app.py\n"
        let (plainAider, plainAiderFixture) = try Self.importing(aider, as: ".aider.chat.history.md")
        let (crlfAider, crlfAiderFixture) = try Self.importing("\u{FEFF}" + aider.replacingOccurrences(of: "\n", with: "\r\n"),
                                                               as: ".aider.chat.history.md")
        #expect(crlfAider.format == "aider" && crlfAider.messages == plainAider.messages && plainAider.messages == 3)
        #expect(try Self.documents(crlfAiderFixture) == Self.documents(plainAiderFixture))
        let (document, _) = try Self.importing("\u{FEFF}{\r\n  \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]\r\n}\r\n", as: "chat.json")
        #expect(document.format == "generic" && document.messages == 1 && document.malformedLines == 0)
    }

    @Test func toolInputsAndOutputsAreLabelledText() throws {
        let source = "fn main() {\n    assert!(!is_valid_email(\"user@@double.com\"));\n    let dir = \"C:\\\\temp\\\\new\";\n}\n"
        let lines = [
            Self.claude("assistant", "a1", at: 1, [["type": "tool_use", "id": "t1", "name": "Write",
                                                     "input": ["file_path": "/w/src/main.rs", "content": source]]]),
            Self.claude("assistant", "a2", parent: "a1", at: 2, [["type": "tool_use", "id": "t2", "name": "Bash",
                                                                   "input": ["command": #"grep -n "is_valid" src/*.rs | sed 's/\t/ /'"#, "timeout": 5000]]]),
            Self.claude("assistant", "a3", parent: "a2", at: 3, [["type": "tool_use", "id": "t3", "name": "MultiEdit", "input": [
                "file_path": "/w/a.py", "edits": [["old_string": "x = \"a\"", "new_string": "x = 'b'\ny = 2", "replace_all": false]]]]]),
        ]
        let (_, fixture) = try Self.importing(lines.joined())
        let snapshot = try fixture.snapshot()
        // (The fixture's keys are sorted; fields keep the record's order.)
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#1"))) == "[tool call: Write]\ncontent:\n" + source + "\nfile_path: /w/src/main.rs")
        let literal = GrepOptions(fixedString: true)
        #expect(try snapshot.grep(#"assert!(!is_valid_email("user@@double.com"));"#, options: literal).map(\.path) == ["#1"])
        #expect(try snapshot.grep(#"let dir = "C:\\temp\\new";"#, options: literal).map(\.line) == [5])
        #expect(try snapshot.lines(path: "#1", startLine: 4, endLine: 5)
                == "    assert!(!is_valid_email(\"user@@double.com\"));\n    let dir = \"C:\\\\temp\\\\new\";\n")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#2")))
                == "[tool call: Bash]\ncommand: grep -n \"is_valid\" src/*.rs | sed 's/\\t/ /'\ntimeout: 5000")
        #expect(snapshot.text(of: try #require(snapshot.document(path: "#3"))) == """
            [tool call: MultiEdit]
            edits[0].new_string:
            x = 'b'
            y = 2
            edits[0].old_string: x = "a"
            edits[0].replace_all: false
            file_path: /w/a.py
            """)

        // Codex: arguments are a JSON string; 0.40-era outputs wrap the text in {"output", "metadata"}.
        let wrapped = #"{"output":"src/lib.rs:3: if s.contains(\"@@\") {\nsrc/lib.rs:9: }\n","metadata":{"exit_code":0,"duration_seconds":0.2}}"#
        let rollout = [
            Self.line(["timestamp": "2026-11-02T09:00:00Z", "type": "session_meta", "payload": ["id": "cdx-2", "cwd": "/w"]]),
            Self.line(["timestamp": "2026-11-02T09:00:01Z", "type": "response_item", "payload": [
                "type": "function_call", "name": "shell", "call_id": "c1",
                "arguments": #"{"command":["bash","-lc","rg -n \"@@\" src/"],"workdir":"/w"}"#]]),
            Self.line(["timestamp": "2026-11-02T09:00:02Z", "type": "response_item", "payload": [
                "type": "function_call_output", "call_id": "c1", "output": wrapped]]),
            Self.line(["timestamp": "2026-11-02T09:00:03Z", "type": "response_item", "payload": [
                "type": "custom_tool_call", "name": "apply_patch", "call_id": "c2",
                "input": "*** Begin Patch\n*** Update File: src/lib.rs\n-    if s.contains(\"@@\") {\n+    if s.matches('@').count() > 1 {\n*** End Patch"]]),
            Self.line(["timestamp": "2026-11-02T09:00:04Z", "type": "response_item", "payload": [
                "type": "function_call_output", "call_id": "c9", "output": #"{"not":"a wrapper"}"#]]),
        ]
        let (report, codex) = try Self.importing(rollout.joined())
        #expect(report.messageCounts == MessageCounts(user: 0, assistant: 0, toolCalls: 2, toolResults: 2))
        let session = try codex.snapshot()
        #expect(session.text(of: try #require(session.document(path: "#2"))) == "[tool call: shell]\ncommand: bash -lc rg -n \"@@\" src/\nworkdir: /w")
        #expect(session.text(of: try #require(session.document(path: "#3"))) == """
            [tool result: c1]
            output:
            src/lib.rs:3: if s.contains("@@") {
            src/lib.rs:9: }

            metadata.exit_code: 0
            metadata.duration_seconds: 0.2
            """)
        #expect(try session.grep(#"if s.contains("@@") {"#, options: literal).map(\.path) == ["#3", "#4"])
        #expect(try session.grep("+    if s.matches('@').count() > 1 {", options: literal).map(\.line) == [6])
        #expect(session.text(of: try #require(session.document(path: "#5"))) == "[tool result: c9]\n" + #"{"not":"a wrapper"}"#)
    }

    @Test func aiderEditBlocksStayWhole() throws {
        let history = """
            # aider chat started at 2026-11-03 10:00:00

            #### fix the quoting in the README

            Here is the edit:

            README.md
            ````markdown
            <<<<<<< SEARCH
            > a quoted line
            #### Usage
            =======
            > a "quoted" line
            #### Usage, again
            >>>>>>> REPLACE
            ````

            > Applied edit to README.md

            """
        let (report, fixture) = try Self.importing(history, as: ".aider.chat.history.md")
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 1, toolCalls: 0, toolResults: 1))
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map { $0.role ?? "" } == ["system", "user", "assistant", "tool"])
        let reply = snapshot.text(of: snapshot.documents[2])
        #expect(reply.hasPrefix("Here is the edit:\n\nREADME.md\n````markdown\n<<<<<<< SEARCH\n> a quoted line\n#### Usage\n"))
        #expect(reply.hasSuffix("\n>>>>>>> REPLACE\n````"))
        #expect(snapshot.text(of: snapshot.documents[3]) == "Applied edit to README.md")
    }

    @Test func sidechainRecordsOfOlderClaudeFilesBecomeAgents() throws {
        let lines = [
            Self.claude("user", "m1", at: 1, "Audit the TTLs"),
            Self.claude("assistant", "m2", parent: "m1", at: 2, [["type": "tool_use", "id": "t1", "name": "Task",
                                                                   "input": ["description": "find TTLs", "prompt": "List every TTL constant"]]]),
            // Two sub-agents at once, their records interleaved.
            Self.claude("user", "aaaa1111-0000", at: 3, "List every TTL constant", extra: ["isSidechain": true]),
            Self.claude("user", "bbbb2222-0000", at: 4, "List every retry limit", extra: ["isSidechain": true]),
            Self.claude("assistant", "aaaa1111-0001", parent: "aaaa1111-0000", at: 5, [["type": "text", "text": "TTL = 5 in cache.py"]],
                        extra: ["isSidechain": true]),
            Self.claude("assistant", "bbbb2222-0001", parent: "bbbb2222-0000", at: 6, [["type": "text", "text": "MAX_RETRIES = 4"]],
                        extra: ["isSidechain": true]),
            Self.claude("user", "m3", parent: "m2", at: 7, [["type": "tool_result", "tool_use_id": "t1", "content": "TTL = 5 in cache.py"]]),
            Self.claude("assistant", "m4", parent: "m3", at: 8, [["type": "text", "text": "The only TTL is 5 s."]]),
        ]
        let (report, fixture) = try Self.importing(lines.joined())
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 1, toolCalls: 1, toolResults: 1))
        #expect(report.byRole == ["user": 1, "assistant": 2, "tool": 1])
        #expect(report.subagents == 2)
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map(\.path) == ["#1", "#2", "agent-aaaa1111#1", "agent-bbbb2222#1", "agent-aaaa1111#2", "agent-bbbb2222#2", "#3", "#4"])
        let prompt = try #require(snapshot.document(path: "agent-aaaa1111#1"))
        #expect(snapshot.slice(chars: prompt.recordCharOffset..<prompt.charOffset) == "[agent-aaaa1111#1 2026-11-05T10:00:03Z user]\n")
        let row = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Row.fetchOne(db, sql: "SELECT session, parent_session, sidechain, message_index FROM documents WHERE path = 'agent-bbbb2222#2'")
        }
        let session: String? = row?[0], parent: String? = row?[1], sidechain: Int? = row?[2], index: Int? = row?[3]
        #expect(session == "agent-bbbb2222" && parent == "cc-1" && sidechain == 1 && index == 2)

        // Rewritten shorter: the agents' messages go with the main transcript's.
        try fixture.write("s.jsonl", lines[0])
        let again = try SessionImporter.refresh(file: fixture.root + "/s.jsonl", location: fixture.store)
        #expect(again.subagents == 0 && again.messages == 1)
        #expect(try fixture.snapshot().documents.map(\.path) == ["#1"])
    }

    @Test func codexEventCopiesAreDroppedAndCounted() throws {
        func record(_ second: Int, _ type: String, _ payload: [String: Any]) -> String {
            Self.line(["timestamp": String(format: "2026-11-02T09:00:%02dZ", second), "type": type, "payload": payload])
        }
        let lines = [
            record(0, "session_meta", ["id": "cdx-3", "cwd": "/w"]),
            record(1, "response_item", ["type": "message", "role": "user", "content": [["type": "input_text", "text": "Why is the build slow?"]]]),
            record(1, "event_msg", ["type": "user_message", "message": "Why is the build slow?", "kind": "plain"]),
            record(2, "event_msg", ["type": "agent_reasoning", "text": "**Checking the linker**"]),
            record(2, "response_item", ["type": "reasoning", "summary": [["type": "summary_text", "text": "**Checking the linker**"]], "encrypted_content": "e"]),
            record(3, "event_msg", ["type": "agent_message", "message": "The linker runs twice."]),
            record(3, "response_item", ["type": "message", "role": "assistant", "content": [["type": "output_text", "text": "The linker runs twice."]]]),
            record(4, "event_msg", ["type": "token_count", "info": ["last_token_usage": ["input_tokens": 900, "cached_input_tokens": 700, "output_tokens": 40],
                                                                     "total_token_usage": ["total_tokens": 5000]],
                                    "rate_limits": ["primary": ["used_percent": 3.0]]]),
            record(5, "event_msg", ["type": "turn_aborted", "reason": "interrupted"]),
        ]
        let (report, fixture) = try Self.importing(lines.joined())
        #expect(report.duplicates == 3)
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 2, toolCalls: 0, toolResults: 0))
        let snapshot = try fixture.snapshot()
        #expect(try snapshot.grep("linker").map(\.path) == ["#3", "#4"])
        #expect(try snapshot.grep("build slow").map(\.path) == ["#2"])
        let tokens = try #require(snapshot.document(path: "#5"))
        #expect(snapshot.text(of: tokens) == "[token count] input 900 (cached 700), output 40, session total 5000")
        let usage = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Row.fetchOne(db, sql: "SELECT input_tokens, output_tokens, cache_read_tokens FROM documents WHERE path = '#5'")
        }
        let input: Int? = usage?[0], output: Int? = usage?[1], cached: Int? = usage?[2]
        #expect(input == 900 && output == 40 && cached == 700)
        let aborted = try #require(snapshot.document(path: "#6"))
        #expect(aborted.role == "event" && snapshot.text(of: aborted) == "[turn_aborted]\nreason: interrupted")
    }

    @Test func formatIsDetectedFromTheFirstValidRecords() throws {
        let claude = Self.claudeSession
        let cases: [(String, String, Int, Int)] = [  // (name, file, messages, malformed)
            ("bad first line", "{\"type\":\"user\",\"message\":\n" + claude, 5, 1),
            ("cut at the front", String(claude.dropFirst(30)), 5, 1),
            ("byte-order mark", "\u{FEFF}" + claude, 5, 0),
            ("blank lines first", "\n\n  \n" + claude, 5, 0),
        ]
        for (name, text, messages, malformed) in cases {
            let (report, _) = try Self.importing(text)
            #expect(report.format == "claude", "\(name)")
            #expect(report.messages == messages && report.malformedLines == malformed, "\(name): \(report)")
        }
        // A first record longer than the first 64 KiB.
        let long = Self.claude("user", "u0", at: 0, String(repeating: "long prompt ", count: 10_000))
        #expect(try Self.importing(long + claude).0.format == "claude")

        // Empty and blank files: no messages, no error; the format the caller expects, else generic.
        for text in ["", "\u{FEFF}", " \n\r\n"] {
            let (report, _) = try Self.importing(text)
            #expect(report.format == "generic" && report.messages == 0 && report.added == 0)
            #expect(try Self.importing(text, expected: .claude).0.format == "claude")
        }
        // An empty session that is then written: imported as what it turned out to be.
        let (empty, fixture) = try Self.importing("")
        #expect(empty.format == "generic")
        try fixture.write("s.jsonl", claude)
        let written = try SessionImporter.refresh(file: fixture.root + "/s.jsonl", location: fixture.store)
        #expect(written.format == "claude" && written.messages == 5 && written.session == "abc-123")
        #expect(try fixture.snapshot().documents.first?.path == "#1")
    }

    @Test func olderCodexRolloutsAreReadAsCodex() throws {
        let lines = [
            Self.line(["id": "0001-old", "timestamp": "2025-05-10T08:00:00Z", "instructions": NSNull(), "git": ["branch": "main"]]),
            Self.line(["record_type": "state"]),
            Self.line(["type": "message", "id": NSNull(), "role": "user", "content": [["type": "input_text", "text": "Add a --verbose flag"]]]),
            Self.line(["type": "reasoning", "id": "rs_1", "summary": [["type": "summary_text", "text": "Look at main.rs"]]]),
            Self.line(["type": "function_call", "id": "fc_1", "name": "shell", "call_id": "call_1",
                       "arguments": #"{"command":["rg","-n","verbose"]}"#]),
            Self.line(["type": "function_call_output", "call_id": "call_1",
                       "output": #"{"output":"src/main.rs:4: let verbose = false;\n","metadata":{"exit_code":0}}"#]),
            Self.line(["type": "message", "id": "msg_1", "role": "assistant", "content": [["type": "output_text", "text": "Added --verbose."]]]),
        ]
        let (report, fixture) = try Self.importing(lines.joined(), as: "rollout-2025-05-10T08-00-00-0001-old.jsonl")
        #expect(report.format == "codex" && report.session == "0001-old")
        #expect(report.messageCounts == MessageCounts(user: 1, assistant: 2, toolCalls: 1, toolResults: 1))
        #expect(report.unknownTypes.isEmpty && report.malformedLines == 0)
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map { $0.role ?? "" } == ["system", "system", "user", "assistant", "assistant", "tool", "assistant"])
        #expect(snapshot.text(of: snapshot.documents[0]) == "[session] id=0001-old")
        #expect(snapshot.text(of: snapshot.documents[1]) == "[state]")
        #expect(snapshot.text(of: snapshot.documents[4]) == "[tool call: shell]\ncommand: rg -n verbose")
        #expect(try snapshot.grep("let verbose = false;", options: GrepOptions(fixedString: true)).map(\.path) == ["#6"])
    }

    @Test func aCompleteLastRecordWithoutANewlineIsImportedOnce() throws {
        let lines = SessionTests.claudeLines()
        let fixture = try Fixture()
        let path = fixture.root + "/s.jsonl"
        try fixture.write("s.jsonl", lines[2] + String(lines[3].dropLast()))  // the second record lacks its "\n"
        let first = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(first.added == 2 && first.pendingBytes == 0)

        func append(_ text: String) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }
        try append("\n" + lines[4] + String(lines[5].dropLast(20)))  // its newline, a record, and half of one
        let second = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(second.added == 1 && second.pendingBytes == lines[5].count - 20)
        try append(String(lines[5].suffix(20)))
        let third = try SessionImporter.refresh(file: path, location: fixture.store)
        #expect(third.added == 1 && third.pendingBytes == 0 && third.messages == 4)
        let snapshot = try fixture.snapshot()
        #expect(snapshot.documents.map(\.path) == ["#1", "#2", "#3", "#4"])
        let sourceLines = try DatabaseQueue(path: fixture.store.databasePath).read { db in
            try Int.fetchAll(db, sql: "SELECT source_line FROM documents ORDER BY id")
        }
        #expect(sourceLines == [1, 2, 3, 4])
    }

    @Test func messagesCountTheSameInEveryFormat() throws {
        // One exchange: a question, thinking, a tool call, its result, the answer.
        let claude = [
            Self.claude("user", "u1", at: 1, "How many tests are there?"),
            Self.claude("assistant", "a1", parent: "u1", at: 2, [["type": "thinking", "thinking": "Count them."]]),
            Self.claude("assistant", "a2", parent: "a1", at: 3, [["type": "tool_use", "id": "t1", "name": "Bash", "input": ["command": "ls tests | wc -l"]]]),
            Self.claude("user", "u2", parent: "a2", at: 4, [["type": "tool_result", "tool_use_id": "t1", "content": "12"]]),
            Self.claude("assistant", "a3", parent: "u2", at: 5, [["type": "text", "text": "There are 12."]]),
        ].joined()
        let codex = [
            Self.line(["timestamp": "t", "type": "session_meta", "payload": ["id": "c"]]),
            Self.line(["timestamp": "t", "type": "response_item", "payload": ["type": "message", "role": "user", "content": [["type": "input_text", "text": "How many tests are there?"]]]]),
            Self.line(["timestamp": "t", "type": "response_item", "payload": ["type": "reasoning", "summary": [["type": "summary_text", "text": "Count them."]]]]),
            Self.line(["timestamp": "t", "type": "response_item", "payload": ["type": "function_call", "name": "shell", "call_id": "c1", "arguments": #"{"command":["ls"]}"#]]),
            Self.line(["timestamp": "t", "type": "response_item", "payload": ["type": "function_call_output", "call_id": "c1", "output": "12"]]),
            Self.line(["timestamp": "t", "type": "response_item", "payload": ["type": "message", "role": "assistant", "content": [["type": "output_text", "text": "There are 12."]]]]),
        ].joined()
        let generic = [
            Self.line(["role": "system", "content": "Be brief."]),
            Self.line(["role": "user", "content": "How many tests are there?"]),
            Self.line(["role": "assistant", "content": "Count them."]),
            Self.line(["role": "assistant", "content": NSNull(), "tool_calls": [["function": ["name": "shell", "arguments": #"{"command":"ls"}"#]]]]),
            Self.line(["role": "tool", "name": "shell", "content": "12"]),
            Self.line(["role": "assistant", "content": "There are 12."]),
        ].joined()
        let expected = MessageCounts(user: 1, assistant: 2, toolCalls: 1, toolResults: 1)
        for text in [claude, codex, generic] {
            let (report, _) = try Self.importing(text)
            #expect(report.messageCounts == expected && report.messages == 5, "\(report.format)")
        }
    }

    @Test func sourcesImportedByAnotherVersionAreImportedAgain() throws {
        let (first, fixture) = try Self.importing(Self.claudeSession)
        let before = try Self.documents(fixture)
        // What an older rlmd left: documents rendered its way and stats without a version.
        try DatabaseQueue(path: fixture.store.databasePath).write { db in
            try db.execute(sql: "UPDATE session_sources SET stats = '{\"messages\":5,\"byRole\":{}}'")
        }
        let again = try SessionImporter.refresh(file: fixture.root + "/s.jsonl", location: fixture.store)
        #expect(again.added == first.added && again.messages == first.messages)
        #expect(try Self.documents(fixture) == before)
    }

    @Test func sessionsWithoutASummaryAreTitledByTheirFirstUserMessage() throws {
        let home = try Fixture()
        let workspace = home.root + "/proj"
        let folder = "claude/projects/" + workspace.replacingOccurrences(of: "/", with: "-")
        let environment = ["CLAUDE_CONFIG_DIR": home.root + "/claude", "CODEX_HOME": home.root + "/codex", "HOME": home.root]
        let long = "Make the importer keep CRLF files exact, and render every tool input as labelled text so that greps work"
        try home.write("\(folder)/untitled.jsonl", [
            // The tool's words in the user's turn come first: a caveat, a compaction summary, a command's output.
            Self.claude("user", "m0", at: 0, "Caveat: The messages below were generated by the user while running local commands.",
                        extra: ["isMeta": true]),
            Self.claude("user", "m1", at: 1, "This session is being continued from a previous conversation.", extra: ["isCompactSummary": true]),
            Self.claude("user", "m2", at: 2, "<local-command-stdout>Set model to opus</local-command-stdout>"),
            Self.claude("user", "m3", at: 3, "Sub-agent prompt", extra: ["isSidechain": true]),
            Self.claude("user", "m4", at: 4, [["type": "tool_result", "tool_use_id": "t0", "content": "a tool's output"]]),
            Self.claude("user", "m5", at: 5, [["type": "text", "text": "\n  " + long + "\nand a second line."]]),
            Self.claude("user", "m6", at: 6, "A later message"),
        ].joined())
        try home.write("\(folder)/command.jsonl", Self.claude("user", "c1", at: 1,
            "<command-message>init is analyzing your codebase…</command-message>\n<command-name>/init</command-name>\n<command-args></command-args>",
            extra: ["sessionId": "command"]))
        // A summary is the title wherever it is in the file.
        try home.write("\(folder)/summarised.jsonl", Self.claude("user", "s1", at: 1, "Why is it slow?", extra: ["sessionId": "summarised"])
            + Self.line(["type": "summary", "summary": "Slow start-up", "leafUuid": "s1"]))
        try home.write("\(folder)/nothing-said.jsonl", Self.claude("assistant", "n1", at: 1, [["type": "text", "text": "Hello"]],
                                                                              extra: ["sessionId": "nothing-said"]))
        func codex(_ type: String, _ payload: [String: Any]) -> String {
            Self.line(["timestamp": "2026-11-02T09:00:00Z", "type": type, "payload": payload])
        }
        func said(_ role: String, _ text: String) -> [String: Any] {
            ["type": "message", "role": role, "content": [["type": "input_text", "text": text]]]
        }
        try home.write("codex/sessions/2026/11/02/rollout-2026-11-02T09-00-00-cdx.jsonl", [
            codex("session_meta", ["id": "cdx", "cwd": workspace]),
            codex("response_item", said("user", "# AGENTS.md instructions for \(workspace)\n\n<INSTRUCTIONS>\nBe brief.\n</INSTRUCTIONS>")),
            codex("response_item", said("user", "<user_instructions>\nBe brief.\n</user_instructions>")),
            codex("response_item", said("user", "<environment_context>\n  <cwd>\(workspace)</cwd>\n</environment_context>")),
            codex("response_item", said("user", "Add a --verbose flag")),
        ].joined())
        try home.write("proj/.aider.chat.history.md",
                       "# aider chat started at 2026-11-03 10:00:00\n\n> Aider v0.86.1\n\n#### rename `retry` to `attempts`\n\nDone.\n")

        let sessions = SessionDiscovery.all(workspace: workspace, environment: environment)
        #expect(sessions.count == 6)
        let titles = Dictionary(sessions.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let cut = String(long.prefix(79)) + "…"
        #expect(cut.count == 80)
        #expect(titles == ["cc-1": cut, "command": "/init", "summarised": "Slow start-up", "nothing-said": nil,
                           "cdx": "Add a --verbose flag", ".aider.chat.history": "rename `retry` to `attempts`"])
    }

    @Test func timestampsOrderAcrossFormats() {
        #expect(SessionTimestamp.seconds("1970-01-01T00:01:00Z") == 60)
        #expect(SessionTimestamp.seconds("1970-01-01T00:01:00.250Z") == 60.25)
        #expect(SessionTimestamp.seconds("1970-01-01T02:01:00+02:00") == 60)
        #expect(SessionTimestamp.seconds("1970-01-01T00:00:00-0130") == 5400)
        #expect(SessionTimestamp.seconds("2026-11-03 10:00:00") != nil)  // Aider: local time
        #expect(SessionTimestamp.seconds("yesterday") == nil && SessionTimestamp.seconds("2026-11-03T10:00:00Q") == nil)
    }
}
