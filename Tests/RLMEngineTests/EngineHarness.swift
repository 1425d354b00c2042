import ContextStore
import Foundation
import LMClient
import REPL
import RLMEngine
import TestSupport

/// A small indexed repository, a scripted model and a session over them. The model is the scripted
/// OpenAI-compatible server behind a real `ModelClient` (`.http`, the default), or `ScriptedModel`
/// in this process (`.inProcess`) for tests that only need its replies.
final class EngineHarness {
    enum Transport { case http, inProcess }

    let fixture: Fixture
    /// Nil in process.
    let server: ScriptedServer?
    let client: any LanguageModel
    private let scripted: ScriptedModel?
    let store: TrajectoryStore
    let snapshot: ContextSnapshot

    static let root = "root-model", sub = "sub-model", child = "child-model"

    init(_ steps: [ScriptStep], maxAttempts: Int = 1, over transport: Transport = .http) async throws {
        fixture = try Fixture()
        try fixture.write("src/retry.py", "def retry(call, attempts=3):\n    # back off exponentially\n    return call()\n")
        try fixture.write("src/app.py", "from retry import retry\n\ndef main():\n    return retry(lambda: 42)\n")
        try fixture.write("README.md", "# Sample\nA sample project with retries.\n")
        try fixture.index()
        snapshot = try fixture.snapshot()
        switch transport {
        case .http:
            let server = try await ScriptedServer(steps)
            self.server = server
            scripted = nil
            client = ModelClient(api: OpenAICompatibleAPI(baseURL: server.baseURL.appendingPathComponent("v1"), apiKey: nil),
                                 retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.01, maxDelay: 0.05), timeout: 10)
        case .inProcess:
            server = nil
            let model = ScriptedModel(steps)
            scripted = model
            client = model
        }
        store = try TrajectoryStore(path: fixture.root + "/../trajectories.sqlite")
    }

    var models: RLMModels {
        RLMModels(root: ModelChoice(client: client, name: Self.root), sub: ModelChoice(client: client, name: Self.sub),
                  byDepth: [2: ModelChoice(client: client, name: Self.child)])
    }

    func session(_ configure: (inout RLMOptions) -> Void = { _ in }) -> RLMSession {
        var options = RLMOptions()
        options.repl.cellTimeout = .seconds(20)
        configure(&options)
        return RLMSession(context: .store(snapshot), models: models, options: options, store: store)
    }

    /// The chat requests made for `model`, in order, as request bodies (the server's log, or what
    /// the in-process model was asked in the same shape).
    func requests(model: String) async throws -> [[String: Any]] {
        let bodies = if let scripted { scripted.requests.map(ScriptedModel.body) } else {
            try await server?.requests().compactMap { $0["body"] as? [String: Any] } ?? []
        }
        return bodies.filter { $0["model"] as? String == model }
    }

    static func lastUserMessage(_ request: [String: Any]) -> String {
        let messages = request["messages"] as? [[String: Any]] ?? []
        return messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
    }
}

/// A root-model reply: a sentence and one ```repl block.
func reply(_ code: String, say: String = "Next step.") -> ScriptStep {
    .openAI("\(say)\n```repl\n\(code)\n```", model: EngineHarness.root)
}
