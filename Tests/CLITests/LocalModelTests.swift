import Foundation
import Testing
import TestSupport

/// The real tiny model end to end: rlmd starts llama.cpp (PyPI xllamacpp) with SmolLM2-135M and
/// asks it something. Its answer is not judged, only the plumbing.
@Suite struct LocalModelTests {
    static var installed: Bool {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(environment["HOME"] ?? NSHomeDirectory())/.local/share"
        return FileManager.default.isExecutableFile(atPath: "\(data)/rlmd/local/venv/bin/python")
    }

    @Test(.enabled(if: installed, "the offline model is not installed (rlmd models install-local)"))
    func completesWithTheLocalModel() async throws {
        let cli = try CLI()
        let tree = try Fixture()
        let result = try await cli.run(["complete", "Say hello.", "--provider", "local", "--max-tokens", "8", "--json"], in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(!((object["text"] as? String) ?? "").isEmpty)
        let usage = try #require(object["usage"] as? [String: Int])
        #expect((usage["input"] ?? 0) > 0 && (usage["output"] ?? 0) > 0)
        #expect(object["cost_usd"] is NSNull)
    }

    @Test(.enabled(if: installed, "the offline model is not installed (rlmd models install-local)"))
    func asksWithTheLocalModelEndToEnd() async throws {
        let cli = try CLI()
        let tree = try CLITests.sampleTree()
        let result = try await cli.run(["ask", "What does fetch do?", "--provider", "local", "--max-iterations", "2",
                                        "--max-reply-tokens", "160", "--json"],
                                       in: tree.root, environment: ["XDG_STATE_HOME": cli.cacheHome + "/state"])
        // The tiny model rarely calls FINAL: a partial answer (exit 1) is a correct ending too.
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let usage = try #require(object["usage"] as? [String: Int])
        #expect((usage["calls"] ?? 0) >= 2 && (usage["input"] ?? 0) > 0)
        let id = try #require(object["trajectory"] as? String)
        let shown = try await cli.run(["trajectory", id, "--jsonl"], in: tree.root, environment: ["XDG_STATE_HOME": cli.cacheHome + "/state"])
        #expect(shown.status == 0 && shown.stdout.contains("\"type\":\"trajectory\""))
    }
}
