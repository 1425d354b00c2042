import Foundation
import Testing
import TestSupport

@Suite struct SessionCLITests {
    static let lines = [
        #"{"type":"user","sessionId":"s-9","uuid":"u1","timestamp":"2026-11-01T12:00:00Z","message":{"role":"user","content":"Where is the retry limit set?"}}"#,
        #"{"type":"assistant","sessionId":"s-9","uuid":"u2","timestamp":"2026-11-01T12:00:04Z","message":{"role":"assistant","content":[{"type":"text","text":"In config.py, MAX_RETRIES = 4."}]}}"#,
        #"{"type":"mystery","sessionId":"s-9"}"#,
        "not json at all",
    ]

    @Test func importListAndQueryASession() async throws {
        let home = try Fixture()
        let workspace = try Fixture()
        let folder = "claude/projects/" + workspace.root.replacingOccurrences(of: "/", with: "-")
        try home.write("\(folder)/s-9.jsonl", Self.lines.joined(separator: "\n") + "\n")
        let cli = try CLI()
        let environment = ["CLAUDE_CONFIG_DIR": home.root + "/claude", "CODEX_HOME": home.root + "/codex"]

        let imported = try await cli.run(["index", "--claude", "latest", "--json"], in: workspace.root, environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        for key in ["session", "format", "messages", "by_role", "malformed_lines", "unknown_types", "bytes", "tokens", "seconds"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        #expect(report["session"] as? String == "s-9" && report["format"] as? String == "claude")
        #expect(report["messages"] as? Int == 2 && report["malformed_lines"] as? Int == 1)
        #expect(report["unknown_types"] as? [String: Int] == ["mystery": 1])

        let file = "\(home.root)/\(folder)/s-9.jsonl"
        let grep = try await cli.run(["grep", "MAX_RETRIES", "--session", file], in: workspace.root)
        #expect(grep.stdout == "#2:1:In config.py, MAX_RETRIES = 4.\n", "\(grep.stderr)")
        let read = try await cli.run(["read", "#1", "--session", file], in: workspace.root)
        #expect(read.stdout == "Where is the retry limit set?")

        let listed = try await cli.run(["sessions", "--json"], in: workspace.root, environment: environment)
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(sessions.count == 1 && sessions.first?["id"] as? String == "s-9" && sessions.first?["messages"] as? Int == 2)

        // The import left full-text search to the first search, which builds it.
        #expect(report["search_pending"] as? Bool == true)
        let search = try await cli.run(["search", "retry limit", "--session", file], in: workspace.root)
        #expect(search.stdout.hasPrefix("#1:1: Where is the retry limit set?"), "\(search.stderr)")
        // With --search, new lines are searchable when the import returns.
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((#"{"type":"user","sessionId":"s-9","uuid":"u3","message":{"role":"user","content":"Raise the backoff ceiling"}}"# + "\n").utf8))
        try handle.close()
        let searched = try await cli.run(["index", "--session", file, "--search", "--json"], in: workspace.root)
        let again = try #require(try JSONSerialization.jsonObject(with: Data(searched.stdout.utf8)) as? [String: Any])
        #expect(again["added"] as? Int == 1 && again["search_pending"] as? Bool == false, "\(searched.stderr)")
        let plain = try await cli.run(["index", "--session", file], in: workspace.root)
        #expect(!plain.stdout.contains("full-text search: built at the first search"), "\(plain.stdout)")
        let refused = try await cli.run(["index", "--search"], in: workspace.root)
        #expect(refused.status == 2 && refused.stderr.contains("--search goes with --session"))

        let missing = try await cli.run(["index", "--codex", "latest"], in: workspace.root, environment: environment)
        #expect(missing.status == 2 && missing.stderr.contains("no Codex session"))
        let notImported = try await cli.run(["grep", "x", "--session", home.root + "/\(folder)/../nothing.jsonl"], in: workspace.root)
        #expect(notImported.status == 2)
    }

    /// A transcript whose Write tool input holds quotes, backslashes and newlines; it starts with a
    /// summary record, so cutting the first line loses no message.
    static let shaped = [
        #"{"type":"summary","summary":"Validate emails","leafUuid":"u4"}"#,
        #"{"type":"user","sessionId":"s-7","uuid":"u1","timestamp":"2026-11-04T09:00:00Z","message":{"role":"user","content":"Reject double @ signs"}}"#,
        ##"{"type":"assistant","sessionId":"s-7","uuid":"u2","parentUuid":"u1","timestamp":"2026-11-04T09:00:05Z","message":{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Write","input":{"file_path":"/w/tests/email.rs","content":"#[test]\nfn rejects_double_at() {\n    assert!(!is_valid_email(\"user@@double.com\"));\n    let raw = \"C:\\\\mail\";\n}\n"}}]}}"##,
        #"{"type":"user","sessionId":"s-7","uuid":"u3","parentUuid":"u2","timestamp":"2026-11-04T09:00:06Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"File created"}]}}"#,
        #"{"type":"assistant","sessionId":"s-7","uuid":"u4","parentUuid":"u3","timestamp":"2026-11-04T09:00:09Z","message":{"role":"assistant","content":[{"type":"text","text":"Added the test."}]}}"#,
    ]

    @Test func indexTakesFilesOfEveryShape() async throws {
        let tree = try Fixture()
        let plain = Self.shaped.joined(separator: "\n") + "\n"
        let files = [
            ("crlf.jsonl", Self.shaped.joined(separator: "\r\n") + "\r\n", 4, 0),
            ("bom.jsonl", "\u{FEFF}" + plain, 4, 0),
            ("bad-first-line.jsonl", "{\"type\":\"user\",\"mess\n" + plain, 4, 1),
            ("cut-at-the-front.jsonl", String(plain.dropFirst(25)), 4, 1),
            ("no-final-newline.jsonl", Self.shaped.joined(separator: "\n"), 4, 0),
            ("empty.jsonl", "", 0, 0),
        ]
        let cli = try CLI()
        for (name, text, messages, malformed) in files {
            try tree.write(name, text)
            let result = try await cli.run(["index", "--session", name, "--json"], in: tree.root)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(name)")
            #expect(report["format"] as? String == (messages == 0 ? "generic" : "claude"), "\(name)")
            #expect(report["messages"] as? Int == messages && report["malformed_lines"] as? Int == malformed, "\(name): \(report)")
            #expect(report["pending_bytes"] as? Int == 0, "\(name)")
            if messages > 0 {
                #expect(report["message_counts"] as? [String: Int] == ["user": 1, "assistant": 1, "tool_calls": 1, "tool_results": 1])
            }
        }
        let grep = try await cli.run(["grep", "-F", #"assert!(!is_valid_email("user@@double.com"));"#, "--session", "crlf.jsonl"], in: tree.root)
        #expect(grep.stdout == #"#3:6:    assert!(!is_valid_email("user@@double.com"));"# + "\n", "\(grep.stderr)")
        let backslashes = try await cli.run(["grep", "-F", #"let raw = "C:\\mail";"#, "--session", "bom.jsonl"], in: tree.root)
        #expect(backslashes.stdout == #"#3:7:    let raw = "C:\\mail";"# + "\n", "\(backslashes.stderr)")
        let read = try await cli.run(["read", "#3:1-3", "--session", "cut-at-the-front.jsonl"], in: tree.root)
        #expect(read.stdout == "[tool call: Write]\nfile_path: /w/tests/email.rs\ncontent:\n", "\(read.stderr)")
    }

    @Test func latestSessionsAreTheNewestByTheirLastMessage() async throws {
        let home = try Fixture()
        let workspace = try Fixture()
        let folder = "claude/projects/" + workspace.root.replacingOccurrences(of: "/", with: "-")
        let environment = ["CLAUDE_CONFIG_DIR": home.root + "/claude", "CODEX_HOME": home.root + "/codex"]
        try home.write("\(folder)/s-7.jsonl", Self.shaped.joined(separator: "\n") + "\n")
        // Written later (a copy, say), but its last message is older.
        try home.write("\(folder)/s-9.jsonl", Self.lines.joined(separator: "\n") + "\n")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)],
                                              ofItemAtPath: "\(home.root)/\(folder)/s-7.jsonl")
        let cli = try CLI()
        let listed = try await cli.run(["sessions", "--json"], in: workspace.root, environment: environment)
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(sessions.map { $0["id"] as? String } == ["s-7", "s-9"], "\(listed.stderr)")
        // s-7's title is its summary; s-9 has none, so its first user message names it.
        #expect(sessions.map { $0["title"] as? String } == ["Validate emails", "Where is the retry limit set?"])
        let table = try await cli.run(["sessions"], in: workspace.root, environment: environment)
        let row = table.stdout.split(separator: "\n").first { $0.hasPrefix("claude\ts-9\t") }
        #expect(row?.hasSuffix(" bytes  Where is the retry limit set?") == true, "\(table.stdout)")
        let latest = try await cli.run(["index", "--claude", "latest", "--json"], in: workspace.root, environment: environment)
        #expect(latest.stdout.contains(#""session":"s-7""#), "\(latest.stdout) \(latest.stderr)")

        // A session just started, still empty, is the newest: 0 messages, not an error; --format goes with --claude.
        try home.write("\(folder)/s-new.jsonl", "")
        for arguments in [["index", "--claude", "latest", "--json"], ["index", "--claude", "latest", "--format", "claude", "--json"]] {
            let empty = try await cli.run(arguments, in: workspace.root, environment: environment)
            #expect(empty.status == 0, "\(arguments): \(empty.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(empty.stdout.utf8)) as? [String: Any])
            #expect(report["format"] as? String == "claude" && report["messages"] as? Int == 0 && report["session"] as? String == "s-new")
        }
        // --format goes with --codex too, and without a session it is still refused.
        try home.write("codex/sessions/2026/11/04/rollout-2026-11-04T09-00-00-cdx-4.jsonl",
                       #"{"timestamp":"2026-11-04T09:00:00Z","type":"session_meta","payload":{"id":"cdx-4","cwd":"\#(workspace.root)"}}"# + "\n")
        let codex = try await cli.run(["index", "--codex", "latest", "--format", "codex", "--json"], in: workspace.root, environment: environment)
        #expect(codex.status == 0 && codex.stdout.contains(#""session":"cdx-4""#), "\(codex.stdout) \(codex.stderr)")
        let alone = try await cli.run(["index", "--format", "codex"], in: workspace.root, environment: environment)
        #expect(alone.status == 2 && alone.stderr.contains("--format goes with --session, --claude or --codex"), "\(alone.stderr)")
    }
}
