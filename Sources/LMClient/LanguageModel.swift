/// A chat model behind any provider: OpenAI-compatible servers, Anthropic, a local llama.cpp server.
public protocol LanguageModel: Sendable {
    func complete(_ request: CompletionRequest) async throws(LMError) -> Completion
}

public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
}

public struct CompletionRequest: Sendable, Equatable {
    public var model: String
    public var messages: [ChatMessage]
    public var maxTokens: Int?
    public var temperature: Double?
    public var stop: [String]
    /// The messages form a prefix later calls repeat (a root conversation that only grows): ask
    /// providers that cache explicitly (Anthropic) to cache it.
    public var cachePrefix: Bool
    /// No attempt, retry or pause of this call lasts past it (a question's wall-time budget).
    public var deadline: ContinuousClock.Instant?

    public init(model: String, messages: [ChatMessage], maxTokens: Int? = nil, temperature: Double? = nil, stop: [String] = [],
                cachePrefix: Bool = false, deadline: ContinuousClock.Instant? = nil) {
        self.model = model
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
        self.cachePrefix = cachePrefix
        self.deadline = deadline
    }

    /// Tokens of the prompt, estimated at four UTF-8 bytes per token (plus a few per message).
    public var estimatedPromptTokens: Int {
        messages.reduce(0) { $0 + ($1.content.utf8.count + 3) / 4 + 4 }
    }
}

/// Tokens of one call, as the provider reported them.
public struct Usage: Sendable, Equatable, Codable {
    public var input = 0
    public var output = 0
    /// Prompt tokens served from the provider's cache (OpenAI `cached_tokens`, Anthropic cache reads).
    public var cachedInput = 0
    /// Anthropic cache writes.
    public var cacheWrite = 0
    /// False when the reply carried no usage at all.
    public var reported = true

    public init(input: Int = 0, output: Int = 0, cachedInput: Int = 0, cacheWrite: Int = 0, reported: Bool = true) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.reported = reported
    }
}

public struct Completion: Sendable, Equatable {
    public var text: String
    public var model: String
    public var usage: Usage
    /// Why generation stopped, as the provider said it (`stop`, `length`, `end_turn`, ...).
    public var finishReason: String?
    /// USD, when the price of `model` is known.
    public var costUSD: Double?
    /// How many attempts the call took (1 without retries, 0 when served from the cache).
    public var attempts = 1
    /// Served from the response cache: no call was made and nothing was spent.
    public var fromCache = false

    public init(text: String, model: String, usage: Usage, finishReason: String? = nil, costUSD: Double? = nil, attempts: Int = 1,
                fromCache: Bool = false) {
        self.text = text
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
        self.costUSD = costUSD
        self.attempts = attempts
        self.fromCache = fromCache
    }
}
