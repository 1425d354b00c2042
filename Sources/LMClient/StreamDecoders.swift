import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Turns one provider's server-sent events into text deltas and, at the end, a `Completion`.
public protocol StreamDecoder: Sendable {
    /// The text this event adds (empty for bookkeeping events); throws for an error event.
    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String
    var reply: StreamedReply { get }
}

/// What a stream has said about the reply besides its text.
public struct StreamedReply: Sendable {
    public var model = ""
    public var usage = Usage(reported: false)
    public var finishReason: String?
    /// True once the provider said the reply is over.
    public var isFinished = false

    public func completion(text: String) -> Completion {
        Completion(text: text, model: model, usage: usage, finishReason: finishReason)
    }
}

/// What a streaming call yields: text as it arrives, then the whole completion.
public enum StreamEvent: Sendable, Equatable {
    case text(String)
    case completed(Completion)
}

struct OpenAIStreamDecoder: StreamDecoder {
    var reply = StreamedReply()

    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String {
        if event.data == "[DONE]" {
            reply.isFinished = true
            return ""
        }
        let object = try JSONBody.object(Data(event.data.utf8))
        if let error = object["error"] as? [String: Any] { throw .server(status: 200, error["message"] as? String ?? "stream error") }
        if let name = object["model"] as? String { reply.model = name }
        if let reported = object["usage"] as? [String: Any] { reply.usage = .openAI(reported) }
        guard let choice = (object["choices"] as? [[String: Any]])?.first else { return "" }
        if let reason = choice["finish_reason"] as? String { reply.finishReason = reason }
        return (choice["delta"] as? [String: Any])?["content"] as? String ?? ""
    }
}

struct AnthropicStreamDecoder: StreamDecoder {
    var reply = StreamedReply()

    mutating func consume(_ event: ServerSentEvent) throws(LMError) -> String {
        let object = try JSONBody.object(Data(event.data.utf8))
        switch object["type"] as? String ?? event.event {
        case "message_start":
            let message = object["message"] as? [String: Any]
            reply.model = message?["model"] as? String ?? reply.model
            if let reported = message?["usage"] as? [String: Any] { reply.usage = .anthropic(reported) }
        case "content_block_delta":
            return (object["delta"] as? [String: Any])?["text"] as? String ?? ""
        case "message_delta":
            reply.finishReason = (object["delta"] as? [String: Any])?["stop_reason"] as? String ?? reply.finishReason
            if let output = JSONBody.int((object["usage"] as? [String: Any])?["output_tokens"]) { reply.usage.output = output }
        case "message_stop":
            reply.isFinished = true
        case "error":
            let error = object["error"] as? [String: Any]
            let message = error?["message"] as? String ?? "stream error"
            throw error?["type"] as? String == "overloaded_error" ? .server(status: 529, message) : .server(status: 500, message)
        default:
            break
        }
        return ""
    }
}
