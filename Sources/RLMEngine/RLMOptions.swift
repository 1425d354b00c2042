import Foundation
import LMClient
import REPL

/// A model and the client that reaches it.
public struct ModelChoice: Sendable {
    public var client: any LanguageModel
    public var name: String

    public init(client: any LanguageModel, name: String) {
        self.client = client
        self.name = name
    }
}

/// Which model plays which part. Sub-calls use `sub`; the root run uses `root`; a child RLM at
/// depth d uses `byDepth[d]`, else `sub` (cheaper than the root by default).
public struct RLMModels: Sendable {
    public var root: ModelChoice
    public var sub: ModelChoice
    public var byDepth: [Int: ModelChoice] = [:]

    public init(root: ModelChoice, sub: ModelChoice, byDepth: [Int: ModelChoice] = [:]) {
        self.root = root
        self.sub = sub
        self.byDepth = byDepth
    }

    func rootModel(depth: Int) -> ModelChoice {
        depth <= 1 ? root : byDepth[depth] ?? sub
    }
}

public struct RLMOptions: Sendable {
    public var limits = BudgetLimits()
    /// Levels of RLMs: the root is depth 1, and `rlm_query` starts a child RLM while the caller's
    /// depth is below this; deeper, it is a plain sub-call.
    public var maxDepth = 2
    public var temperature: Double?
    /// Longest root-model reply, in tokens.
    public var maxReplyTokens: Int? = 8192
    public var subCallMaxTokens: Int?
    /// Stop root replies at the end of their first code block, so a model cannot go on to invent
    /// the block's output. Nil: on, except for models that reject `stop` (OpenAI's reasoning models).
    public var stopAfterCode: Bool?
    /// False: `llm_query`, `llm_query_batched` and `rlm_query` answer with an error, and the system
    /// prompt says so (the bench's "no sub-calls" baseline).
    public var allowSubCalls = true
    public var repl = ReplOptions()

    public init() {}

    func stopSequences(model: String) -> [String] {
        let reasoning = ["o1", "o3", "o4", "gpt-5"].contains { model.hasPrefix($0) }
        return (stopAfterCode ?? !reasoning) ? ["\n```\n"] : []
    }
}

/// What a question ended with.
public struct RLMAnswer: Sendable, Codable, Equatable {
    public var answer: String
    /// True when a budget ran out (or errors piled up) before the model called FINAL: the answer
    /// then comes from one last "answer now" call, or is empty when that failed too.
    public var partial: Bool
    public var stopReason: StopReason?
    /// The stop reason in words, with the limit that was hit.
    public var reason: String?
    public var citations: [Citation]
    public var usage: RunUsage
    public var trajectoryID: String
}

public enum RLMError: Error, CustomStringConvertible, Sendable {
    /// The REPL sandbox could not start.
    case repl(String)
    /// A question of this session is still running: questions take turns.
    case busy
    /// The question was cancelled; its partial trajectory was saved under this id.
    case cancelled(trajectoryID: String)

    public var description: String {
        switch self {
        case .repl(let message): "the REPL could not run: \(message)"
        case .busy: "a question is already running in this session; ask again when it has answered"
        case .cancelled(let id): "cancelled (partial trajectory \(id))"
        }
    }
}
