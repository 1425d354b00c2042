import Foundation
import Testing
import TestSupport
@testable import LMClient

/// Providers that echo keys, redirect elsewhere, never answer, or never stop answering.
@Suite struct HostileProviderTests {
    static let openAIKey = "sk-proj-HostileTestKey0123456789abcd"
    static let anthropicKey = "sk-ant-api03-HostileTestKey9876543210wxyz"
    static let retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.1)
    static let request = CompletionRequest(model: "m", messages: [.user("hi")])

    static func openAI(_ server: ScriptedServer, timeout: Double = 10) -> ModelClient {
        ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: openAIKey),
                    retry: retry, timeout: timeout)
    }

    static func anthropic(_ server: ScriptedServer) -> ModelClient {
        ModelClient(api: AnthropicAPI(baseURL: server.baseURL, apiKey: anthropicKey), retry: retry, timeout: 10)
    }

    /// Every shape a provider's error can take, each echoing both keys.
    static var echoes: [ScriptStep] {
        let both = "\(openAIKey) / x-api-key: \(anthropicKey) / sk-proj-****abcd"
        return [
            .json(["error": ["message": "Incorrect API key provided: \(both)", "type": "invalid_request_error"]], status: 401),
            .raw("proxy error, request had Authorization: Bearer \(openAIKey) and \(anthropicKey)", status: 500),
            .raw("not json \(both)", status: 200),
            .json(["error": ["message": "slow down \(both)"]], status: 429, headers: ["x-echo": both]),
            .stream(["Hel"], errorEvent: ["error": ["message": "mid-stream \(both)"]]),
            .stream(["Hel"], format: .anthropic, errorEvent: ["type": "error", "error": ["type": "api_error", "message": both]]),
        ]
    }

    static func leaks(_ text: String) -> Bool {
        [openAIKey, anthropicKey].contains { key in
            text.contains(key) || text.contains(key.suffix(8)) || text.contains(key.dropFirst(8).prefix(8)) || text.contains("abcd")
        }
    }

    /// Both keys are configured, as when both variables are set; each client knows the other's.
    init() {
        SecretRedactor.register(Self.openAIKey)
        SecretRedactor.register(Self.anthropicKey)
    }

    @Test(arguments: 0..<6)
    func echoedKeysNeverReachTheError(shape: Int) async throws {
        let step = Self.echoes[shape]
        let server = try await ScriptedServer([step])
        let clients = switch shape {
        case 4: [Self.openAI(server)]
        case 5: [Self.anthropic(server)]
        default: [Self.openAI(server), Self.anthropic(server)]
        }
        for client in clients {
            do {
                if step.json["stream"] != nil {
                    for try await _ in client.stream(Self.request) {}
                } else {
                    _ = try await client.complete(Self.request)
                }
                Issue.record("shape \(shape) did not fail")
            } catch {
                #expect(!Self.leaks("\(error)"), "\(error)")
                #expect("\(error)".contains(SecretRedactor.mask), "\(error)")
            }
        }
    }

    @Test func crossOriginRedirectsDropTheKey() async throws {
        let elsewhere = try await ScriptedServer([.openAI("from elsewhere")])
        let target = elsewhere.baseURL.absoluteString + "/v1/chat/completions"
        let server = try await ScriptedServer([.raw("", status: 307, headers: ["Location": target])])
        _ = try? await Self.openAI(server).complete(Self.request)
        _ = try? await Self.anthropic(server).complete(Self.request)
        let seen = try await elsewhere.requests()
        #expect(seen.count == 2)
        for request in seen {
            let headers = try #require(request["headers"] as? [String: String])
            #expect(headers["authorization"] == nil && headers["x-api-key"] == nil, "\(headers)")
        }
    }

    @Test func sameOriginRedirectsKeepIt() async throws {
        let server = try await ScriptedServer([
            .raw("", status: 308, headers: ["Location": "/v2/chat/completions"]),
            .openAI("moved"),
        ])
        let completion = try await Self.openAI(server).complete(Self.request)
        #expect(completion.text == "moved")
        let requests = try await server.requests()
        let headers = requests.map { $0["headers"] as? [String: String] ?? [:] }
        #expect(headers.count == 2 && headers.allSatisfy { $0["authorization"] == "Bearer \(Self.openAIKey)" })
        // A 308 repeats the POST with its body (URLSession on Linux sent it without one).
        #expect(requests.map { $0["path"] as? String } == ["/v1/chat/completions", "/v2/chat/completions"])
        let bodies = requests.map { ($0["body"] as? [String: Any])?["messages"] as? [[String: Any]] }
        #expect(bodies.count == 2 && bodies[1]?.first?["content"] as? String == "hi", "\(requests)")
    }

    @Test func theDeadlineBoundsAttemptsAndRetries() async throws {
        let server = try await ScriptedServer([.hang])
        let client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil),
                                 retry: RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30), timeout: 60)
        var request = Self.request
        request.deadline = .now + .seconds(1)
        let started = ContinuousClock.now
        await #expect(throws: LMError.self) { try await client.complete(request) }
        await #expect(throws: LMError.self) { for try await _ in client.stream(request) {} }
        // Without the deadline: 5 attempts of 60 s. Generous slack for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// The endless replies meet a 1 MiB cap: the default's 32 MiB cost the test run ~10 s of CPU.
    static let smallCap = HTTPTransport(limits: BodyLimits(success: 1 << 20))

    @Test func anEndlessReplyIsCutAtTheCap() async throws {
        #expect(BodyLimits().success == 32 << 20 && BodyLimits().error == 64 << 10)
        let server = try await ScriptedServer([.endless("{\"choices\": [")])
        let client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil), retry: Self.retry, timeout: 120, transport: Self.smallCap)
        await #expect(throws: LMError.replyTooLarge(limit: 1 << 20)) { try await client.complete(Self.request) }
    }

    @Test func anEndlessStreamIsCutAtTheCap() async throws {
        let server = try await ScriptedServer([.endless("word ", stream: true)])
        let client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL, apiKey: nil), retry: Self.retry, timeout: 120, transport: Self.smallCap)
        var texts = 0
        await #expect(throws: LMError.replyTooLarge(limit: 1 << 20)) {
            for try await event in client.stream(Self.request) { if case .text = event { texts += 1 } }
        }
        #expect(texts > 0)
    }

    @Test func anEndlessErrorBodyKeepsItsHead() async throws {
        let server = try await ScriptedServer([.endless("overloaded ", status: 400)])
        do {
            _ = try await Self.openAI(server, timeout: 120).complete(Self.request)
            Issue.record("no error")
        } catch {
            guard case .server(400, let message) = error else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("overloaded overloaded") && message.utf8.count <= 64 << 10)
        }
    }
}
