import Foundation
import RLMProtocol

/// One JSON-RPC 2.0 message, as read from the wire.
public enum Message: Sendable, Equatable {
    case request(id: RequestID, method: String, params: JSONValue)
    case notification(method: String, params: JSONValue)
    case response(id: RequestID, result: Result<JSONValue, ResponseError>)

    /// Parses a body. A message that is not valid JSON-RPC gives the error to answer with, and the
    /// request id when one could be read (else the answer carries `"id": null`).
    public static func parse(_ body: Data) -> Result<Message, BadMessage> {
        guard let value = try? JSONValue.parse(body) else {
            return .failure(BadMessage(id: nil, error: ResponseError(.parseError, "the body is not valid JSON (UTF-8)")))
        }
        guard case .object(let object) = value else {
            let what = if case .array = value { "a batch (array); send one message at a time" } else { "not an object" }
            return .failure(BadMessage(id: nil, error: ResponseError(.invalidRequest, "the message is \(what)")))
        }
        let id = object["id"].flatMap(RequestID.init)
        guard object["jsonrpc"] == .string("2.0") else {
            return .failure(BadMessage(id: id, error: ResponseError(.invalidRequest, "\"jsonrpc\" must be \"2.0\"")))
        }
        if let method = object["method"] {
            guard case .string(let name) = method else {
                return .failure(BadMessage(id: id, error: ResponseError(.invalidRequest, "\"method\" must be a string")))
            }
            let params = object["params"] ?? .null
            if object["id"] == nil { return .success(.notification(method: name, params: params)) }
            guard let id else {
                return .failure(BadMessage(id: nil, error: ResponseError(.invalidRequest, Self.badID)))
            }
            // JSON-RPC 2.0: params, when present, are structured. Checked here so that every method
            // refuses them alike, those that read no field included. (An explicit null is taken as absent.)
            switch params {
            case .object, .array, .null: break
            default:
                return .failure(BadMessage(id: id, error: ResponseError(.invalidParams, "\(name): params must be an object or an array")))
            }
            return .success(.request(id: id, method: name, params: params))
        }
        guard let id else {
            // An error response with "id": null answers a message whose id could not be read.
            if object["id"] == .null, let error = object["error"], let decoded = try? error.decode(ResponseError.self) {
                return .failure(BadMessage(id: nil, error: decoded))
            }
            return .failure(BadMessage(id: nil, error: ResponseError(.invalidRequest, "neither a request nor a response")))
        }
        if let error = object["error"], let decoded = try? error.decode(ResponseError.self) {
            return .success(.response(id: id, result: .failure(decoded)))
        }
        return .success(.response(id: id, result: .success(object["result"] ?? .null)))
    }

    /// Ids are answered exactly as sent, so one that cannot be kept exactly (a fraction, an integer
    /// beyond 64 bits) is refused rather than answered as another number.
    static let badID = "\"id\" must be a string or an integer from -2^63 to 2^63-1"

    /// The JSON body of this message.
    public func encoded() -> Data {
        var object: [String: JSONValue] = ["jsonrpc": .string("2.0")]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id.json
            object["method"] = .string(method)
            if params != .null { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if params != .null { object["params"] = params }
        case .response(let id, let result):
            object["id"] = id.json
            switch result {
            case .success(let value): object["result"] = value
            case .failure(let error): object["error"] = (try? JSONValue(encoding: error)) ?? .null
            }
        }
        return (try? Self.encoder.encode(JSONValue.object(object))) ?? Data()
    }

    /// An error response whose id could not be read.
    public static func errorWithoutID(_ error: ResponseError) -> Data {
        let object: JSONValue = .object(["jsonrpc": .string("2.0"), "id": .null, "error": (try? JSONValue(encoding: error)) ?? .null])
        return (try? encoder.encode(object)) ?? Data()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

public struct BadMessage: Error, Sendable, Equatable {
    public var id: RequestID?
    public var error: ResponseError
}

extension RequestID {
    var json: JSONValue {
        switch self {
        case .int(let value): .int(value)
        case .string(let value): .string(value)
        }
    }
}
