/// The names the REPL protocol uses, one enum per direction and one for requests. `repl_runtime.py`
/// keeps the same names in a table at its top (`ReplProtocolTableTests` holds the two together).
extension ReplMessage {
    /// The `type` of a line from the runtime.
    enum IncomingKind: String, CaseIterable, Sendable, Decodable {
        case ready, request, done, fatal

        init(from decoder: Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            guard let kind = IncomingKind(rawValue: name) else { throw DecodeFailure.unknownKind(name) }
            self = kind
        }
    }

    /// The `type` of a line to the runtime.
    enum OutgoingKind: String, CaseIterable, Sendable, Encodable {
        case initialize = "init", exec, reply, interrupt
    }

    /// Why a line from the runtime is not a message rlmd acts on.
    enum DecodeFailure: Error, Equatable {
        /// A well-formed line of a kind this rlmd does not know: skipped.
        case unknownKind(String)
        /// Not JSON, no `type`, or fields of the wrong type: the protocol is broken.
        case malformed
    }
}

/// The `method` of a request from model code.
public enum ReplRequestKind: String, CaseIterable, Sendable {
    case search
    case llmQuery = "llm_query"
    case llmQueryBatched = "llm_query_batched"
    case rlmQuery = "rlm_query"
}

extension SubCall {
    /// The request it came from; each prompt of an `llm_query_batched` is an `llm_query`.
    public var kind: ReplRequestKind {
        switch self {
        case .llmQuery: .llmQuery
        case .rlmQuery: .rlmQuery
        }
    }
}
