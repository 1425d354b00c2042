import Foundation
import Testing
import TestSupport

@Suite struct CompleteCLITests {
    @Test func completesAgainstAnOpenAICompatibleServer() async throws {
        let server = try await ScriptedServer([.openAI("The answer is 42.")])
        let port = server.port
        defer { withExtendedLifetime(server) {} }
        let cli = try CLI()
        let tree = try Fixture()
        let environment = ["RLMD_BASE_URL": "http://127.0.0.1:\(port)/v1", "RLMD_MODEL": "gpt-4.1-mini", "OPENAI_API_KEY": "sk-cli-secret"]
        let plain = try await cli.run(["complete", "What is the answer?"], in: tree.root, environment: environment)
        #expect(plain.status == 0 && plain.stdout == "The answer is 42.\n", "\(plain.stderr)")
        let json = try await cli.run(["complete", "What is the answer?", "--json"], in: tree.root, environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "The answer is 42." && object["cached"] as? Bool == false)
        #expect((object["usage"] as? [String: Int]) == ["input": 12, "output": 5, "cached": 4])
        #expect((object["cost_usd"] as? Double).map { $0 > 0 } == true)
        #expect(!json.stdout.contains("sk-cli-secret") && !json.stderr.contains("sk-cli-secret"))
    }

    @Test func repeatsAtTemperatureZeroComeFromTheCache() async throws {
        let server = try await ScriptedServer([.openAI("deterministic")])
        let cli = try CLI()
        let tree = try Fixture()
        let environment = ["RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1"]
        let arguments = ["complete", "same prompt", "--temperature", "0", "--json"]
        let first = try await cli.run(arguments, in: tree.root, environment: environment)
        let second = try await cli.run(arguments, in: tree.root, environment: environment)
        let bypass = try await cli.run(arguments + ["--no-cache"], in: tree.root, environment: environment)
        #expect(first.stdout.contains("\"cached\":false") && second.stdout.contains("\"cached\":true"), "\(second.stderr)")
        #expect(bypass.stdout.contains("\"cached\":false"))
        #expect(try await server.requests().count == 2)
    }

    @Test func usesTheProviderNamedInTheConfigFile() async throws {
        let server = try await ScriptedServer([.openAI("from the config")])
        let cli = try CLI()
        let tree = try Fixture()
        try tree.write("config.toml", """
            provider = "scripted"
            model = "config-model"
            [providers.scripted]
            kind = "openai"
            base_url = "http://127.0.0.1:\(server.port)/v1"
            """)
        try tree.write("broken.toml", "provider = \"unterminated\n")
        let scrubbed = ["RLMD_BASE_URL": "", "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "RLMD_MODEL": ""]
        let result = try await cli.run(["complete", "hi"], in: tree.root, environment: scrubbed.merging(["RLMD_CONFIG": tree.root + "/config.toml"]) { $1 })
        #expect(result.status == 0 && result.stdout == "from the config\n", "\(result.stderr)")
        let body = try #require(try await server.requests().first?["body"] as? [String: Any])
        #expect(body["model"] as? String == "config-model")
        let broken = try await cli.run(["complete", "hi"], in: tree.root, environment: scrubbed.merging(["RLMD_CONFIG": tree.root + "/broken.toml"]) { $1 })
        #expect(broken.status == 2 && broken.stderr.contains("broken.toml:1:"), "\(broken.stderr)")
    }

    @Test func streamsTheReply() async throws {
        let server = try await ScriptedServer([.stream(["Stream", "ed ", "reply"])])
        let cli = try CLI()
        let tree = try Fixture()
        let result = try await cli.run(["complete", "hi", "--stream"], in: tree.root,
                                 environment: ["RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1"])
        #expect(result.status == 0 && result.stdout == "Streamed reply\n", "\(result.stderr)")
    }

    @Test func doctorPingsEveryConfiguredProvider() async throws {
        let server = try await ScriptedServer([.openAI("ok")])
        let cli = try CLI()
        let tree = try Fixture()
        try tree.write("config.toml", """
            [providers.dead]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            """)
        let scrubbed = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "RLMD_MODEL": ""]
        let healthy = try await cli.run(["doctor", "--json"], in: tree.root,
                                  environment: scrubbed.merging(["RLMD_BASE_URL": "http://127.0.0.1:\(server.port)/v1"]) { $1 })
        #expect(healthy.status == 0, "\(healthy.stdout) \(healthy.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(healthy.stdout.utf8)) as? [String: Any])
        let sandbox = try #require(report["sandbox"] as? [String: Any])
        #expect(sandbox["ok"] as? Bool == true, "\(sandbox)")
        let layers = try #require(sandbox["layers"] as? [[String: Any]])
        #expect(layers.compactMap { $0["name"] as? String }.contains("network"))
        let providers = try #require(report["providers"] as? [[String: Any]])
        #expect(!providers.isEmpty && providers.allSatisfy { $0["ok"] as? Bool == true }, "\(providers)")
        let broken = try await cli.run(["doctor"], in: tree.root,
                                 environment: scrubbed.merging(["RLMD_BASE_URL": "", "RLMD_CONFIG": tree.root + "/config.toml"]) { $1 })
        #expect(broken.status == 1 && broken.stdout.contains("provider dead") && broken.stdout.contains("FAILED"), "\(broken.stdout)")
        #expect(broken.stdout.contains("sandbox: ") && broken.stdout.contains("+ environment: scrubbed"))
    }

    @Test func explainsHowToConfigureAProvider() async throws {
        let cli = try CLI()
        let tree = try Fixture()
        let scrubbed = ["RLMD_BASE_URL": "", "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""]
        let result = try await cli.run(["complete", "hi"], in: tree.root, environment: scrubbed)
        #expect(result.status == 2 && result.stderr.contains("OPENAI_API_KEY") && result.stderr.contains("RLMD_BASE_URL"), "\(result.stderr)")
    }

    @Test func providerErrorsExitOne() async throws {
        let server = try await ScriptedServer([.json(["error": ["message": "Incorrect API key"]], status: 401)])
        let port = server.port
        defer { withExtendedLifetime(server) {} }
        let cli = try CLI()
        let tree = try Fixture()
        let result = try await cli.run(["complete", "hi", "--base-url", "http://127.0.0.1:\(port)/v1"], in: tree.root,
                                 environment: ["OPENAI_API_KEY": "sk-cli-secret"])
        #expect(result.status == 1 && result.stderr.contains("Incorrect API key") && !result.stderr.contains("sk-cli-secret"))
    }
}
