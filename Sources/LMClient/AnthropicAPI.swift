import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Anthropic Messages, `POST {base}/v1/messages`.
public struct AnthropicAPI: ProviderAPI {
    public var name = "anthropic"
    public var baseURL: URL
    public var apiKey: String
    public var version = "2023-06-01"
    /// Anthropic requires `max_tokens`; used when the request names none.
    public var defaultMaxTokens = 4096

    public init(baseURL: URL, apiKey: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    public func makeStreamDecoder() -> any StreamDecoder { AnthropicStreamDecoder() }

    public var endpoint: URL { baseURL.appendingPathComponent("v1/messages") }
    public var headers: [String: String] { ["x-api-key": apiKey, "anthropic-version": version] }
    public var streamingFields: [String: Any] { ["stream": true] }
    public var secrets: [String] { [apiKey] }

    public func body(_ request: CompletionRequest) -> [String: Any] {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let conversation = request.messages.filter { $0.role != .system }
        // With `cachePrefix`, breakpoints on the system prompt and on the last message: the next call
        // of a growing conversation reads everything up to there from Anthropic's cache.
        let cacheControl: [String: Any] = ["type": "ephemeral"]
        let messages: [[String: Any]] = conversation.enumerated().map { index, message in
            var block: [String: Any] = ["type": "text", "text": message.content]
            if request.cachePrefix && index == conversation.count - 1 { block["cache_control"] = cacheControl }
            return ["role": message.role.rawValue, "content": [block]]
        }
        var body: [String: Any] = [
            "model": request.model,
            "max_tokens": request.maxTokens ?? defaultMaxTokens,
            "messages": messages,
        ]
        if !system.isEmpty {
            var block: [String: Any] = ["type": "text", "text": system]
            if request.cachePrefix { block["cache_control"] = cacheControl }
            body["system"] = [block]
        }
        if let temperature = request.temperature { body["temperature"] = temperature }
        if !request.stop.isEmpty { body["stop_sequences"] = request.stop }
        return body
    }

    public func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion {
        let object = try JSONBody.object(response.body)
        guard let content = object["content"] as? [[String: Any]] else { throw .malformedReply("no content in the reply") }
        let text = content.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined()
        let usage = (object["usage"] as? [String: Any]).map(Usage.anthropic) ?? Usage(reported: false)
        return Completion(text: text, model: object["model"] as? String ?? "", usage: usage,
                          finishReason: object["stop_reason"] as? String)
    }

    public func errorMessage(_ response: HTTPResponse) -> (message: String, contextTooLong: Bool) {
        let (message, _, _) = JSONBody.errorMessage(response.body)
        return (message, message.contains("prompt is too long") || message.contains("too many tokens"))
    }
}
