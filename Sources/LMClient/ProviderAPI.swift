import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One provider's wire format: how a request is written and a reply or an error read.
public protocol ProviderAPI: Sendable {
    var name: String { get }
    var baseURL: URL { get }
    /// Where completions are posted, and with which headers (the key among them).
    var endpoint: URL { get }
    var headers: [String: String] { get }
    /// What must never appear in output: the key (see `SecretRedactor`).
    var secrets: [String] { get }
    /// The JSON body of a request, and the members that turn it into a streamed one.
    func body(_ request: CompletionRequest) -> [String: Any]
    var streamingFields: [String: Any] { get }
    /// Reads a 2xx reply.
    func parseReply(_ response: HTTPResponse) throws(LMError) -> Completion
    /// The provider's own message in an error reply, and whether it says the prompt is too long.
    func errorMessage(_ response: HTTPResponse) -> (message: String, contextTooLong: Bool)
    func makeStreamDecoder() -> any StreamDecoder
}

extension ProviderAPI {
    public func makeRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
        try JSONBody.post(endpoint, body(request), timeout: timeout, headers: headers)
    }

    /// The same request asking for server-sent events.
    public func makeStreamingRequest(_ request: CompletionRequest, timeout: Double) throws(LMError) -> URLRequest {
        try JSONBody.post(endpoint, body(request).merging(streamingFields) { $1 }, timeout: timeout, headers: headers)
    }

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
    /// A JSON `POST` to `url` with `headers`, giving up after `timeout` seconds.
    static func post(_ url: URL, _ body: [String: Any], timeout: Double, headers: [String: String]) throws(LMError) -> URLRequest {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try encode(body)
        return request
    }

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

extension Usage {
    /// OpenAI's `usage` object (`prompt_tokens` include the cached ones).
    static func openAI(_ reported: [String: Any]) -> Usage {
        Usage(input: JSONBody.int(reported["prompt_tokens"]) ?? 0, output: JSONBody.int(reported["completion_tokens"]) ?? 0,
              cachedInput: JSONBody.int((reported["prompt_tokens_details"] as? [String: Any])?["cached_tokens"]) ?? 0)
    }

    /// Anthropic's `usage` object, whose `input_tokens` exclude cache reads and writes.
    static func anthropic(_ reported: [String: Any]) -> Usage {
        let read = JSONBody.int(reported["cache_read_input_tokens"]) ?? 0
        let write = JSONBody.int(reported["cache_creation_input_tokens"]) ?? 0
        return Usage(input: (JSONBody.int(reported["input_tokens"]) ?? 0) + read + write,
                     output: JSONBody.int(reported["output_tokens"]) ?? 0, cachedInput: read, cacheWrite: write)
    }
}
