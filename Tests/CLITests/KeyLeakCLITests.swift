import Foundation
import Testing
import TestSupport

/// A provider that echoes the keys in every error shape: nothing rlmd writes may carry them.
@Suite struct KeyLeakCLITests {
    static let openAIKey = "sk-proj-CLILeakTestKey0123456789abcd"
    static let anthropicKey = "sk-ant-api03-CLILeakTestKey9876543210wxyz"

    static var echoes: [ScriptStep] {
        let both = "\(openAIKey) and \(anthropicKey), sk-proj-****abcd"
        return [
            .json(["error": ["message": "Incorrect API key provided: \(both)"]], status: 401),
            .raw("proxy saw Authorization: Bearer \(openAIKey) x-api-key: \(anthropicKey)", status: 500),
            .json(["error": ["message": "slow down \(both)"]], status: 429, headers: ["x-echo": both]),
            .stream(["Hel"], errorEvent: ["error": ["message": "mid-stream \(both)"]]),
            .raw("not json \(both)", status: 200),
        ]
    }

    static func fragments(_ key: String) -> [String] {
        [key, String(key.suffix(8)), String(key.dropFirst(8).prefix(8)), String(key.dropFirst(16).prefix(8))]
    }

    /// Every file under `folder`, as bytes read leniently (SQLite pages included).
    static func files(under folder: String) -> [(String, String)] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walker.compactMap { $0 as? String }.compactMap { path in
            let full = folder + "/" + path
            guard let data = FileManager.default.contents(atPath: full) else { return nil }
            return (path, String(decoding: data, as: UTF8.self))
        }
    }

    @Test func echoedKeysReachNoOutputLogStoreOrCache() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        // Each echo shape against its own server, all at once: one after another they took two minutes
        // of retries and backoff.
        let outputs = try await withThrowingTaskGroup(of: [(String, String)].self) { group in
            let root = tree.root
            for index in Self.echoes.indices {
                group.addTask {
                    let server = try await ScriptedServer([Self.echoes[index]])
                    let environment = [
                        "RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1", "RLMD_MODEL": "root-model",
                        "OPENAI_API_KEY": Self.openAIKey, "ANTHROPIC_API_KEY": Self.anthropicKey, "XDG_STATE_HOME": cli.cacheHome + "/state",
                    ]
                    let runs = [
                        ["ask", "Where is retry?", "--json", "--max-seconds", "10"],
                        ["complete", "hi", "--json", "--temperature", "0"],
                        ["complete", "hi", "--stream"],
                        ["doctor", "--json", "--timeout", "10"],
                    ]
                    var outputs: [(String, String)] = []
                    for arguments in runs {
                        let result = try await cli.run(arguments, in: root, environment: environment)
                        outputs.append(("\(arguments) stdout", result.stdout))
                        outputs.append(("\(arguments) stderr", result.stderr))
                    }
                    return outputs
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let written = Self.files(under: cli.cacheHome)
        #expect(written.contains { $0.0.hasSuffix("trajectories.sqlite") })
        #expect(outputs.contains { $0.1.contains("[redacted]") })
        for (name, text) in outputs + written {
            for fragment in Self.fragments(Self.openAIKey) + Self.fragments(Self.anthropicKey) {
                #expect(!text.contains(fragment), "\(fragment) in \(name)")
            }
        }
    }
}
