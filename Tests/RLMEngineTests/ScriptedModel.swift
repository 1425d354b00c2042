import Foundation
import LMClient
import TestSupport

/// A `LanguageModel` in this process that plays a `ScriptStep` script the way `scripted_lm_server.py`
/// does (per model, the first unused step serving it, else the last one that does), without HTTP:
/// for engine tests that only need the model's replies. Replies carry the server's usage (12 in,
/// 4 of them cached, 5 out; Anthropic 15/3/2 and 5) and no price, as `ModelClient` reports an
/// unknown model's. It plays text, echo, error-status and delayed steps; a step it cannot play
/// fails the call with a transport error naming it. Tests of retries, timeouts, prices and the
/// wire keep the real server.
final class ScriptedModel: LanguageModel, @unchecked Sendable {
    private let lock = NSLock()
    private let steps: [ScriptStep]
    private var used: Set<Int> = []
    private var seen: [CompletionRequest] = []

    init(_ steps: [ScriptStep]) { self.steps = steps }

    /// The requests made so far, in order.
    var requests: [CompletionRequest] { lock.withLock { seen } }

    func complete(_ request: CompletionRequest) async throws(LMError) -> Completion {
        let step = lock.withLock {
            seen.append(request)
            return pick(model: request.model)
        }
        if let delay = step["delay"] as? Double {
            do { try await Task.sleep(for: .seconds(delay)) } catch { throw .cancelled }
        }
        if let prefix = step["echo"] as? String {
            let last = request.messages.last?.content ?? ""
            return Self.openAI(prefix + String(last.prefix(120)))
        }
        if let status = step["status"] as? Int, status >= 400 {
            let error = (step["body"] as? [String: Any])?["error"] as? [String: Any]
            throw .server(status: status, error?["message"] as? String ?? "")
        }
        if let body = step["body"] as? String, body.hasPrefix("openai:") { return Self.openAI(String(body.dropFirst(7))) }
        if let body = step["body"] as? String, body.hasPrefix("anthropic:") {
            return Completion(text: String(body.dropFirst(10)), model: "scripted-model",
                              usage: Usage(input: 15, output: 5, cachedInput: 3, cacheWrite: 2), finishReason: "end_turn")
        }
        throw .transport("ScriptedModel cannot play \(step)")
    }

    private static func openAI(_ text: String) -> Completion {
        Completion(text: text, model: "scripted-model", usage: Usage(input: 12, output: 5, cachedInput: 4), finishReason: "stop")
    }

    /// The server's `pick`: the first unused step serving `model`, else the last of those.
    private func pick(model: String) -> [String: Any] {
        let serving = steps.indices.filter { (steps[$0].json["model"] as? String).map { $0 == model } ?? true }
        let candidates = serving.isEmpty ? [steps.count - 1] : serving
        let chosen = candidates.first { !used.contains($0) } ?? candidates[candidates.count - 1]
        used.insert(chosen)
        return steps[chosen].json
    }

    /// A request as the OpenAI-compatible client writes its body (model, messages, stop), for
    /// tests that read the prompts either way.
    static func body(_ request: CompletionRequest) -> [String: Any] {
        var body: [String: Any] = ["model": request.model, "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] }]
        if !request.stop.isEmpty { body["stop"] = request.stop }
        return body
    }
}
