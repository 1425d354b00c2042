import Foundation
import Testing
import TestSupport
@testable import LMClient

/// Real HTTP against `scripted_lm_server.py` on 127.0.0.1, speaking each provider's wire format.
@Suite struct ModelClientTests {
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 2)

    static func openAI(_ server: ScriptedServer, retry: RetryPolicy = fastRetry, timeout: Double = 5) -> ModelClient {
        ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: "sk-test-secret"),
                    retry: retry, timeout: timeout)
    }

    static func anthropic(_ server: ScriptedServer) -> ModelClient {
        ModelClient(api: AnthropicAPI(baseURL: server.baseURL, apiKey: "ak-test-secret"), retry: fastRetry, timeout: 5)
    }

    static let request = CompletionRequest(model: "gpt-5-mini", messages: [.system("Be brief."), .user("hi")],
                                           maxTokens: 50, temperature: 0, stop: ["```\n"])

    @Test func openAICompatibleRoundTrip() async throws {
        let server = try await ScriptedServer([.openAI("Hello there")])
        let completion = try await Self.openAI(server).complete(Self.request)
        #expect(completion.text == "Hello there" && completion.model == "scripted-model" && completion.finishReason == "stop")
        #expect(completion.usage == Usage(input: 12, output: 5, cachedInput: 4))
        // gpt-5-mini: 8 uncached x 0.25 + 4 cached x 0.025 + 5 out x 2.0, per million.
        #expect(abs((completion.costUSD ?? 0) - (8 * 0.25 + 4 * 0.025 + 5 * 2.0) / 1e6) < 1e-12)
        let seen = try await server.requests()
        #expect(seen.count == 1 && seen[0]["path"] as? String == "/v1/chat/completions")
        let headers = try #require(seen[0]["headers"] as? [String: String])
        #expect(headers["authorization"] == "Bearer sk-test-secret")
        let body = try #require(seen[0]["body"] as? [String: Any])
        #expect(body["model"] as? String == "gpt-5-mini" && body["max_tokens"] as? Int == 50)
        #expect(body["stop"] as? [String] == ["```\n"] && body["temperature"] as? Double == 0)
        #expect((body["messages"] as? [[String: String]])?.map { $0["role"] ?? "" } == ["system", "user"])
    }

    @Test func anthropicRoundTrip() async throws {
        let server = try await ScriptedServer([.anthropic("Hi")])
        let request = CompletionRequest(model: "claude-sonnet-4-5", messages: [.system("Be brief."), .user("hi")], stop: ["STOP"])
        let completion = try await Self.anthropic(server).complete(request)
        #expect(completion.text == "Hi" && completion.finishReason == "end_turn")
        #expect(completion.usage == Usage(input: 15, output: 5, cachedInput: 3, cacheWrite: 2))
        #expect(abs((completion.costUSD ?? 0) - (10 * 3.0 + 3 * 0.3 + 2 * 3.75 + 5 * 15.0) / 1e6) < 1e-12)
        let seen = try await server.requests()
        let headers = try #require(seen.first?["headers"] as? [String: String])
        #expect(seen.first?["path"] as? String == "/v1/messages")
        #expect(headers["x-api-key"] == "ak-test-secret" && headers["anthropic-version"] == "2023-06-01")
        let body = try #require(seen.first?["body"] as? [String: Any])
        let system = try #require(body["system"] as? [[String: Any]])
        #expect(system.first?["text"] as? String == "Be brief." && system.first?["cache_control"] == nil)
        #expect(body["max_tokens"] as? Int == 4096)
        #expect(body["stop_sequences"] as? [String] == ["STOP"])
        #expect((body["messages"] as? [[String: Any]])?.count == 1)
    }

    @Test func anthropicCachesTheGrowingPrefixWhenAsked() async throws {
        let server = try await ScriptedServer([.anthropic("ok")])
        let request = CompletionRequest(model: "claude-sonnet-4-5", messages: [.system("rules"), .user("q1"), .assistant("a1"), .user("q2")],
                                        cachePrefix: true)
        _ = try await Self.anthropic(server).complete(request)
        let body = try #require(try await server.requests().first?["body"] as? [String: Any])
        let system = try #require(body["system"] as? [[String: Any]])
        #expect((system.first?["cache_control"] as? [String: String])?["type"] == "ephemeral")
        let messages = try #require(body["messages"] as? [[String: Any]])
        let marked = messages.map { (($0["content"] as? [[String: Any]])?.first?["cache_control"]) != nil }
        #expect(marked == [false, false, true])
    }

    @Test func promptsBeyondTheWindowFailBeforeAnyRequest() async throws {
        let server = try await ScriptedServer([.openAI("never")])
        let huge = String(repeating: "word ", count: 140_000)  // ~175k tokens against gpt-4o's 128k
        let request = CompletionRequest(model: "gpt-4o", messages: [.user(huge)])
        await #expect(throws: LMError.self) { try await Self.openAI(server).complete(request) }
        do {
            _ = try await Self.openAI(server).complete(request)
        } catch {
            #expect(error.description.hasPrefix("context too long, split it"))
        }
        #expect(try await server.requests().isEmpty)
    }

    @Test func retriesRateLimitsHonouringRetryAfter() async throws {
        let server = try await ScriptedServer([
            .json(["error": ["message": "slow down"]], status: 429, headers: ["Retry-After": "1"]),
            .openAI("ok"),
        ])
        let started = Date()
        let completion = try await Self.openAI(server).complete(Self.request)
        #expect(completion.text == "ok" && completion.attempts == 2)
        #expect(Date().timeIntervalSince(started) >= 0.9)
    }

    @Test func retriesServerErrorsOverloadAndResets() async throws {
        let server = try await ScriptedServer([
            .json(["error": ["message": "boom"]], status: 500),
            .reset,
            .json(["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]], status: 529),
            .openAI("finally"),
        ])
        // A connection dropped without a reply surfaces as a transport error or, when URLSession
        // (libcurl) waits on the dead keep-alive connection, as our per-attempt timeout.
        let client = Self.openAI(server, retry: RetryPolicy(maxAttempts: 5, baseDelay: 0.02, maxDelay: 1), timeout: 1)
        let completion = try await client.complete(Self.request)
        #expect(completion.text == "finally" && completion.attempts >= 3)
        // libcurl may resend once on a fresh connection after the drop.
        #expect((4...5).contains(try await server.requests().count))
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let server = try await ScriptedServer([.json(["error": ["message": "unavailable"]], status: 503)])
        await #expect(throws: LMError.server(status: 503, "unavailable")) { try await Self.openAI(server).complete(Self.request) }
        #expect(try await server.requests().count == 3)
    }

    @Test func slowRepliesTimeOut() async throws {
        let server = try await ScriptedServer([.openAI("late").delayed(120)])
        let client = Self.openAI(server, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 1), timeout: 0.3)
        let started = Date()
        await #expect(throws: LMError.timeout(0.3)) { try await client.complete(Self.request) }
        // Long before the reply would have come. The bound is loose: tests that block threads of the
        // shared concurrency pool (the CLI tests wait for child processes) can delay any async test.
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try await server.requests().count == 2)
    }

    @Test func errorsAreTypedAndNeverCarryTheKey() async throws {
        let cases: [(ScriptStep, (LMError) -> Bool)] = [
            (.json(["error": ["message": "Incorrect API key provided"]], status: 401), {
                if case .authentication(let message) = $0 { return message.contains("Incorrect API key") } else { return false }
            }),
            (.json(["error": ["message": "This model's maximum context length is 8192 tokens", "code": "context_length_exceeded"]], status: 400), {
                if case .contextTooLong = $0 { return true } else { return false }
            }),
            (.raw("{not json"), { if case .malformedReply = $0 { return true } else { return false } }),
            (.json(["choices": []]), { if case .malformedReply = $0 { return true } else { return false } }),
        ]
        for (step, matches) in cases {
            let server = try await ScriptedServer([step])
            do {
                _ = try await Self.openAI(server).complete(Self.request)
                Issue.record("expected an error for \(step)")
            } catch {
                #expect(matches(error), "\(error)")
                #expect(!error.description.contains("sk-test-secret"))
            }
            #expect(try await server.requests().count == 1, "not retried: \(step)")
        }
    }

    @Test func replyWithoutUsageHasNoCost() async throws {
        let server = try await ScriptedServer([.json(["model": "m", "choices": [["message": ["role": "assistant", "content": "x"]]]])])
        let completion = try await Self.openAI(server).complete(Self.request)
        #expect(completion.text == "x" && !completion.usage.reported && completion.costUSD == nil)
    }

    @Test func unknownModelsHaveTokensButNoPrice() async throws {
        let server = try await ScriptedServer([.openAI("x")])
        var request = Self.request
        request.model = "my-local-model"
        let completion = try await Self.openAI(server).complete(request)
        #expect(completion.usage.input == 12 && completion.costUSD == nil)
    }

    @Test func cancellingTheTaskAbortsTheRequest() async throws {
        let server = try await ScriptedServer([.openAI("too late").delayed(30)])
        let client = Self.openAI(server)
        let started = Date()
        let task = Task { try await client.complete(Self.request) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let result = await task.result
        #expect(throws: LMError.cancelled) { try result.get() }
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func connectionsAreReusedAcrossCalls() async throws {
        let server = try await ScriptedServer([.openAI("again")])
        let client = Self.openAI(server)
        for _ in 0..<5 { _ = try await client.complete(Self.request) }
        let connections = Set(try await server.requests().compactMap { $0["connection"] as? Int })
        // libcurl keeps the connection; now and then it opens a second one (seen once in 500 calls).
        #expect(connections.count <= 2)
    }

    @Test func concurrencyIsLimited() async throws {
        let server = try await ScriptedServer([.openAI("x").delayed(0.2)])
        let client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil), maxConcurrent: 2)
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await client.complete(Self.request) } }
            try await group.waitForAll()
        }
        // Four 0.2 s calls, two at a time: about 0.4 s, never 0.2 s.
        #expect(Date().timeIntervalSince(started) >= 0.38)
    }
}

@Suite struct ResponseCacheTests {
    @Test func temperatureZeroRepliesAreServedFromTheCache() async throws {
        let server = try await ScriptedServer([.openAI("cached answer")])
        let folder = FileManager.default.temporaryDirectory.path + "/rlmd-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/responses.sqlite"
        let cache = try SQLiteResponseCache(path: path)
        let client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil), cache: cache)
        var request = CompletionRequest(model: "gpt-5-mini", messages: [.user("same question")], temperature: 0)
        let first = try await client.complete(request)
        let second = try await client.complete(request)
        #expect(!first.fromCache && second.fromCache && second.text == "cached answer")
        #expect(second.costUSD == 0 && second.usage == first.usage)
        #expect(try await server.requests().count == 1)
        #expect(cache.totalHits() == 1)

        request.messages = [.user("another question")]
        #expect(try await client.complete(request).fromCache == false)
        request.temperature = 0.7
        _ = try await client.complete(request)
        #expect(try await client.complete(request).fromCache == false)
        #expect(try await server.requests().count == 4)

        // A second process (a new cache object on the same file) sees the stored replies.
        let reopened = try SQLiteResponseCache(path: path)
        let other = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil), cache: reopened)
        #expect(try await other.complete(CompletionRequest(model: "gpt-5-mini", messages: [.user("same question")], temperature: 0)).fromCache)
        #expect(CacheKey(provider: "openai", baseURL: server.baseURL, request: request) == nil)
    }
}

@Suite struct ConfigurationAndPricesTests {
    @Test func resolvesFromTheEnvironment() throws {
        let local = try ProviderConfiguration.resolve(environment: ["RLMD_BASE_URL": "http://127.0.0.1:8080/v1", "RLMD_MODEL": "smol"])
        #expect(local.kind == .openai && local.model == "smol" && local.baseURL.absoluteString == "http://127.0.0.1:8080/v1")
        let anthropic = try ProviderConfiguration.resolve(environment: ["ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": "o"])
        #expect(anthropic.baseURL.absoluteString == "https://api.anthropic.com")
        #expect(anthropic.kind == .anthropic && anthropic.model == "claude-sonnet-4-5")
        let openai = try ProviderConfiguration.resolve(model: "gpt-4.1", environment: ["OPENAI_API_KEY": "o"])
        #expect(openai.kind == .openai && openai.model == "gpt-4.1" && openai.apiKey == "o")
        #expect(throws: LMError.self) { try ProviderConfiguration.resolve(environment: [:]) }
        #expect(throws: LMError.self) { try ProviderConfiguration.resolve(provider: "anthropic", environment: [:]) }
        #expect(throws: LMError.self) { try ProviderConfiguration.resolve(provider: "nonesuch", environment: ["OPENAI_API_KEY": "o"]) }
        #expect(throws: LMError.self) { try ProviderConfiguration.resolve(baseURL: "ftp://x", environment: [:]) }
    }

    @Test func configFileNamesProvidersModelsAndPrices() throws {
        let file = try ConfigFile(toml: """
            provider = "local"
            model = "smol"
            sub_model = "smol-mini"

            [providers.local]
            kind = "openai"
            base_url = "http://127.0.0.1:8080/v1"
            api_key_env = "LOCAL_KEY"
            max_concurrent = 4

            [providers.work]
            kind = "anthropic"

            [depth.2]
            model = "tiny"

            [prices."smol"]
            input = 0.1
            output = 0.4
            """)
        let local = try ProviderConfiguration.resolve(environment: ["LOCAL_KEY": "lk", "ANTHROPIC_API_KEY": "ak"], file: file)
        #expect(local.name == "local" && local.kind == .openai && local.apiKey == "lk" && local.model == "smol")
        #expect(local.baseURL.absoluteString == "http://127.0.0.1:8080/v1" && local.maxConcurrent == 4)
        #expect(local.subModel == "smol-mini")
        #expect(try ProviderConfiguration.resolve(environment: ["RLMD_SUB_MODEL": "sub"], file: file).subModel == "sub")
        let work = try ProviderConfiguration.resolve(provider: "work", environment: ["ANTHROPIC_API_KEY": "ak"], file: file)
        #expect(work.kind == .anthropic && work.apiKey == "ak")
        // The environment's RLMD_MODEL and an explicit flag beat the file.
        #expect(try ProviderConfiguration.resolve(environment: ["RLMD_MODEL": "env-model"], file: file).model == "env-model")
        #expect(try ProviderConfiguration.resolve(model: "flag", environment: ["RLMD_MODEL": "env"], file: file).model == "flag")
        #expect(file.depth?["2"]?.model == "tiny" && file.sub_model == "smol-mini")
        #expect(file.priceTable.price(for: "smol")?.output == 0.4)
        #expect(file.priceTable.price(for: "gpt-5")?.output == 10.0)
        #expect(throws: LMError.self) { try ConfigFile(toml: "provider = \"unterminated") }
    }

    @Test func pricesMatchByNamePrefixAndProvider() throws {
        let table = PriceTable.bundled
        #expect(table.price(for: "gpt-5-mini")?.output == 2.0)
        #expect(table.price(for: "openai/gpt-4.1") == table.price(for: "gpt-4.1"))
        #expect(table.price(for: "gpt-4.1-mini-2025-04-14") == table.price(for: "gpt-4.1-mini"))
        #expect(table.price(for: "claude-sonnet-4-5-20250929")?.cacheWrite == 3.75)
        #expect(table.price(for: "llama-3-8b") == nil)
        #expect(RetryPolicy.retryAfter("2") == 2)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: Date(timeIntervalSince1970: 1_445_412_470)) == 10)
        #expect(RetryPolicy.retryAfter("soon") == nil)
    }
}
