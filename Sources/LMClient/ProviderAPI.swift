import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One provider's wire format: how a request is written and a reply or an error read.
public protocol ProviderAPI: Sendable {
    var name: String { get }
    var baseURL: URL { get }
    func makeRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest
    /// Reads a 2xx reply.
    func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion
    /// The provider's own message in an error reply, and whether it says the prompt is too long.
    func errorMessage(_ response: HTTPResponse) -> (message: String, contextTooLong: Bool)
    /// The same request asking for server-sent events.
    func makeStreamingRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest
    func makeStreamDecoder() -> any StreamDecoder
}

extension ProviderAPI {
    func error(from response: HTTPResponse) -> LMError {
        let (message, contextTooLong) = errorMessage(response)
        if contextTooLong || response.status == 413 { return .contextTooLong(message) }
        switch response.status {
        case 401, 403: return .authentication(message)
        case 429: return .rateLimited(message, retryAfter: RetryPolicy.retryAfter(response.headers["retry-after"]))
        default: return .server(status: response.status, message)
        }
    }
}

enum JSONBody {
    static func encode(_ object: [String: Any]) throws(LMError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        } catch {
            throw .malformedReply("could not encode the request: \(error)")
        }
    }

    static func object(_ data: Data) throws(LMError) -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: data), let object = value as? [String: Any] else {
            let excerpt = String(decoding: data.prefix(200), as: UTF8.self)
            throw .malformedReply("not a JSON object: \(excerpt)")
        }
        return object
    }

    /// `error.message` (OpenAI and Anthropic both nest it), or the body's first 300 bytes.
    static func errorMessage(_ data: Data) -> (message: String, type: String?, code: String?) {
        if let object = try? object(data), let error = object["error"] as? [String: Any] {
            return (error["message"] as? String ?? "\(error)", error["type"] as? String, error["code"] as? String)
        }
        if let object = try? object(data), let message = object["message"] as? String { return (message, nil, nil) }
        return (String(decoding: data.prefix(300), as: UTF8.self), nil, nil)
    }

    static func int(_ value: Any?) -> Int? {
        (value as? NSNumber)?.intValue
    }
}

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

    public func makeRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
        var body: [String: Any] = [
            "model": request.model,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        if let maxTokens = request.maxTokens { body["max_tokens"] = maxTokens }
        if let temperature = request.temperature { body["temperature"] = temperature }
        if !request.stop.isEmpty { body["stop"] = request.stop }
        var urlRequest = URLRequest(url: baseURL.appendingPathComponent("chat/completions"), timeoutInterval: timeout)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey, !apiKey.isEmpty { urlRequest.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        urlRequest.httpBody = try JSONBody.encode(body)
        return urlRequest
    }

    public func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion {
        let object = try JSONBody.object(response.body)
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else {
            throw .malformedReply("no choices[0].message in the reply")
        }
        let text = message["content"] as? String ?? ""
        var usage = Usage(reported: false)
        if let reported = object["usage"] as? [String: Any] {
            usage = Usage(input: JSONBody.int(reported["prompt_tokens"]) ?? 0, output: JSONBody.int(reported["completion_tokens"]) ?? 0,
                          cachedInput: JSONBody.int((reported["prompt_tokens_details"] as? [String: Any])?["cached_tokens"]) ?? 0)
        }
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

    public func makeRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
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
        var urlRequest = URLRequest(url: baseURL.appendingPathComponent("v1/messages"), timeoutInterval: timeout)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(apiKey, forHTTPHeaderField: "x-api-key")
        urlRequest.setValue(version, forHTTPHeaderField: "anthropic-version")
        urlRequest.httpBody = try JSONBody.encode(body)
        return urlRequest
    }

    public func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion {
        let object = try JSONBody.object(response.body)
        guard let content = object["content"] as? [[String: Any]] else { throw .malformedReply("no content in the reply") }
        let text = content.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined()
        var usage = Usage(reported: false)
        if let reported = object["usage"] as? [String: Any] {
            let read = JSONBody.int(reported["cache_read_input_tokens"]) ?? 0
            let write = JSONBody.int(reported["cache_creation_input_tokens"]) ?? 0
            usage = Usage(input: (JSONBody.int(reported["input_tokens"]) ?? 0) + read + write,
                          output: JSONBody.int(reported["output_tokens"]) ?? 0, cachedInput: read, cacheWrite: write)
        }
        return Completion(text: text, model: object["model"] as? String ?? "", usage: usage,
                          finishReason: object["stop_reason"] as? String)
    }

    public func errorMessage(_ response: HTTPResponse) -> (message: String, contextTooLong: Bool) {
        let (message, _, _) = JSONBody.errorMessage(response.body)
        return (message, message.contains("prompt is too long") || message.contains("too many tokens"))
    }
}
