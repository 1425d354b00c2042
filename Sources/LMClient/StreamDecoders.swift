import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Turns one provider's server-sent events into text deltas and, at the end, a `Completion`.
public protocol StreamDecoder: Sendable {
    /// The text this event adds (empty for bookkeeping events); throws for an error event.
    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String
    /// True once the provider said the reply is over.
    var isFinished: Bool { get }
    func completion(text: String) -> Completion
}

/// What a streaming call yields: text as it arrives, then the whole completion.
public enum StreamEvent: Sendable, Equatable {
    case text(String)
    case completed(Completion)
}

struct OpenAIStreamDecoder: StreamDecoder {
    var model = ""
    var usage = Usage(reported: false)
    var finishReason: String?
    var isFinished = false

    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String {
        if event.data == "[DONE]" {
            isFinished = true
            return ""
        }
        let object = try JSONBody.object(Data(event.data.utf8))
        if let error = object["error"] as? [String: Any] { throw .server(status: 200, error["message"] as? String ?? "stream error") }
        if let name = object["model"] as? String { model = name }
        if let reported = object["usage"] as? [String: Any] {
            usage = .openAI(reported)
        }
        guard let choice = (object["choices"] as? [[String: Any]])?.first else { return "" }
        if let reason = choice["finish_reason"] as? String { finishReason = reason }
        return (choice["delta"] as? [String: Any])?["content"] as? String ?? ""
    }

    func completion(text: String) -> Completion {
        Completion(text: text, model: model, usage: usage, finishReason: finishReason)
    }
}

struct AnthropicStreamDecoder: StreamDecoder {
    var model = ""
    var usage = Usage(reported: false)
    var finishReason: String?
    var isFinished = false

    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String {
        let object = try JSONBody.object(Data(event.data.utf8))
        switch object["type"] as? String ?? event.event {
        case "message_start":
            let message = object["message"] as? [String: Any]
            model = message?["model"] as? String ?? model
            if let reported = message?["usage"] as? [String: Any] {
                usage = .anthropic(reported)
            }
        case "content_block_delta":
            return (object["delta"] as? [String: Any])?["text"] as? String ?? ""
        case "message_delta":
            finishReason = (object["delta"] as? [String: Any])?["stop_reason"] as? String ?? finishReason
            if let output = JSONBody.int((object["usage"] as? [String: Any])?["output_tokens"]) { usage.output = output }
        case "message_stop":
            isFinished = true
        case "error":
            let error = object["error"] as? [String: Any]
            let message = error?["message"] as? String ?? "stream error"
            throw error?["type"] as? String == "overloaded_error" ? .server(status: 529, message) : .server(status: 500, message)
        default:
            break
        }
        return ""
    }

    func completion(text: String) -> Completion {
        Completion(text: text, model: model, usage: usage, finishReason: finishReason)
    }
}

extension OpenAICompatibleAPI {
    public func makeStreamingRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
        var urlRequest = try makeRequest(request, timeout: timeout)
        var body = try JSONBody.object(urlRequest.httpBody ?? Data())
        body["stream"] = true
        body["stream_options"] = ["include_usage": true]
        urlRequest.httpBody = try JSONBody.encode(body)
        return urlRequest
    }

    public func makeStreamDecoder() -> any StreamDecoder { OpenAIStreamDecoder() }
}

extension AnthropicAPI {
    public func makeStreamingRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
        var urlRequest = try makeRequest(request, timeout: timeout)
        var body = try JSONBody.object(urlRequest.httpBody ?? Data())
        body["stream"] = true
        urlRequest.httpBody = try JSONBody.encode(body)
        return urlRequest
    }

    public func makeStreamDecoder() -> any StreamDecoder { AnthropicStreamDecoder() }
}
