/// One step of `scripted_lm_server.py`'s script, built by name instead of by magic keys and body
/// prefixes. `json` is exactly the object the server reads; the shapes are documented at the top of
/// the server's file, and each builder here is one of them.
public struct ScriptStep: CustomStringConvertible {
    public var json: [String: Any]

    public init(json: [String: Any]) { self.json = json }

    public enum StreamFormat: String { case openAI = "openai", anthropic }

    /// A standard OpenAI chat completion of `text`, with usage 12 in (4 cached) / 5 out.
    public static func openAI(_ text: String, model: String? = nil) -> ScriptStep {
        ScriptStep(json: ["body": "openai:" + text]).serving(model: model)
    }

    /// A standard Anthropic message of `text`, with usage 10 in (3 cache reads, 2 writes) / 5 out.
    public static func anthropic(_ text: String, model: String? = nil) -> ScriptStep {
        ScriptStep(json: ["body": "anthropic:" + text]).serving(model: model)
    }

    /// Any JSON body (a provider's error, a reply of an odd shape), with a status and headers.
    public static func json(_ body: [String: Any], status: Int? = nil, headers: [String: String]? = nil) -> ScriptStep {
        var json: [String: Any] = ["body": body]
        json["status"] = status
        json["headers"] = headers
        return ScriptStep(json: json)
    }

    /// A body sent as it is (not JSON, or empty), with a status and headers.
    public static func raw(_ text: String, status: Int? = nil, headers: [String: String]? = nil) -> ScriptStep {
        var json: [String: Any] = ["raw": text]
        json["status"] = status
        json["headers"] = headers
        return ScriptStep(json: json)
    }

    /// An OpenAI reply of `prefix` and the first 120 characters of the request's last message.
    public static func echo(_ prefix: String, model: String? = nil) -> ScriptStep {
        ScriptStep(json: ["echo": prefix]).serving(model: model)
    }

    /// Server-sent events of `chunks`; `cutAfter` drops the connection after that many events,
    /// `errorEvent` is sent after the chunks as the provider's error event, and the stream ends.
    public static func stream(_ chunks: [String], format: StreamFormat? = nil, cutAfter: Int? = nil, interval: Double? = nil,
                              errorEvent: [String: Any]? = nil, headers: [String: String]? = nil) -> ScriptStep {
        var json: [String: Any] = ["stream": chunks]
        json["format"] = format?.rawValue
        json["cut_after"] = cutAfter
        json["interval"] = interval
        json["error_event"] = errorEvent
        json["headers"] = headers
        return ScriptStep(json: json)
    }

    /// A body that never ends (`text` over and over) until the client goes away; as SSE deltas with `stream`.
    public static func endless(_ text: String, status: Int? = nil, stream: Bool = false) -> ScriptStep {
        var json: [String: Any] = ["endless": text]
        json["status"] = status
        if stream { json["stream"] = true }
        return ScriptStep(json: json)
    }

    /// Reads the request and never answers.
    public static var hang: ScriptStep { ScriptStep(json: ["hang": true]) }

    /// Closes the connection without answering.
    public static var reset: ScriptStep { ScriptStep(json: ["reset": true]) }

    /// The same step, answered after `seconds`.
    public func delayed(_ seconds: Double) -> ScriptStep {
        var step = self
        step.json["delay"] = seconds
        return step
    }

    /// The same step, serving only requests for `model` (nil: any model).
    public func serving(model: String?) -> ScriptStep {
        var step = self
        step.json["model"] = model
        return step
    }

    public var description: String { "\(json)" }
}

extension ScriptedServer {
    /// Starts the server with typed steps.
    public convenience init(_ steps: [ScriptStep]) async throws {
        try await self.init(steps.map(\.json))
    }
}
