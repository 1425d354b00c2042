import Foundation
import Testing

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
        let tree = try Tree()
        let result = try await cli.run(["complete", "Say hello.", "--provider", "local", "--max-tokens", "8", "--json"], in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(!((object["text"] as? String) ?? "").isEmpty)
        let usage = try #require(object["usage"] as? [String: Int])
        #expect((usage["input"] ?? 0) > 0 && (usage["output"] ?? 0) > 0)
        #expect(object["cost_usd"] is NSNull)
    }
}
