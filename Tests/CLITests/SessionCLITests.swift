import Foundation
import Testing

@Suite struct SessionCLITests {
    static let lines = [
        #"{"type":"user","sessionId":"s-9","uuid":"u1","timestamp":"2026-11-01T12:00:00Z","message":{"role":"user","content":"Where is the retry limit set?"}}"#,
        #"{"type":"assistant","sessionId":"s-9","uuid":"u2","timestamp":"2026-11-01T12:00:04Z","message":{"role":"assistant","content":[{"type":"text","text":"In config.py, MAX_RETRIES = 4."}]}}"#,
        #"{"type":"mystery","sessionId":"s-9"}"#,
        "not json at all",
    ]

    @Test func importListAndQueryASession() async throws {
        let home = try Tree()
        let workspace = try Tree()
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
}
