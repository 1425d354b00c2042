import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `POST {base}/chat/completions`: OpenAI, OpenRouter, vLLM, llama.cpp server, Ollama, LM Studio.
public struct OpenAICompatibleAPI: ProviderAPI {
    public var name: String
    public var baseURL: URL
    public var apiKey: String?

    public init(name: String = "openai", baseURL: URL, apiKey: String?) {
        self.name = name
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    public func makeStreamDecoder() -> any StreamDecoder { OpenAIStreamDecoder() }

    public var endpoint: URL { baseURL.appendingPathComponent("chat/completions") }
    public var streamingFields: [String: Any] { ["stream": true, "stream_options": ["include_usage": true]] }

    public var secrets: [String] { apiKey.map { [$0] } ?? [] }

    public var headers: [String: String] {
        guard let apiKey, !apiKey.isEmpty else { return [:] }
        return ["Authorization": "Bearer \(apiKey)"]
    }

    public func body(_ request: CompletionRequest) -> [String: Any] {
        var body: [String: Any] = [
            "model": request.model,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        if let maxTokens = request.maxTokens { body["max_tokens"] = maxTokens }
        if let temperature = request.temperature { body["temperature"] = temperature }
        if !request.stop.isEmpty { body["stop"] = request.stop }
        return body
    }

    public func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion {
        let object = try JSONBody.object(response.body)
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else {
            throw .malformedReply("no choices[0].message in the reply")
        }
        let text = message["content"] as? String ?? ""
        let usage = (object["usage"] as? [String: Any]).map(Usage.openAI) ?? Usage(reported: false)
        return Completion(text: text, model: object["model"] as? String ?? "", usage: usage,
                          finishReason: first["finish_reason"] as? String)
    }

    public func errorMessage(_ response: HTTPResponse) -> (message: String, contextTooLong: Bool) {
        let (message, _, code) = JSONBody.errorMessage(response.body)
        let tooLong = code == "context_length_exceeded" || message.contains("maximum context length")
            || message.contains("context length") || message.contains("too many tokens")
        return (message, tooLong)
    }
}
