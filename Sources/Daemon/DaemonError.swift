import LMClient
import RLMEngine
import RLMProtocol

/// Failures of the daemon's own, and the one place every error becomes a JSON-RPC error.
enum DaemonError: Error {
    case indexUnavailable(String)

    /// `cancelled`: the request's task was cancelled; it then ends with -32800 whatever the layer
    /// that noticed said.
    static func response(for error: Error, cancelled: Bool) -> ResponseError {
        let mapped = response(for: error)
        return cancelled && mapped.code != .requestCancelled ? ResponseError(.requestCancelled, "cancelled") : mapped
    }

    static func response(for error: Error) -> ResponseError {
        switch error {
        case let error as ResponseError:
            return error
        case DaemonError.indexUnavailable(let message):
            return ResponseError(.indexUnavailable, "the index is unavailable: \(message)")
        case RLMError.cancelled(let trajectory):
            return ResponseError(.requestCancelled, "cancelled; the partial trajectory is \(trajectory)",
                                 data: .object(["trajectory": .string(trajectory)]))
        case let error as QuestionError:
            switch error {
            case .unknownConversation, .noSession: return ResponseError(.invalidParams, error.description)
            case .sessionImport: return ResponseError(.indexUnavailable, error.description)
            case .conversationBusy: return ResponseError(.conversationBusy, error.description)
            }
        case RLMError.repl(let message):
            return ResponseError(.sandboxUnavailable, message)
        case RLMError.busy:
            return ResponseError(.conversationBusy, RLMError.busy.description)
        case let error as LMError:
            if case .notConfigured = error { return ResponseError(.providerNotConfigured, error.description) }
            return ResponseError(.providerFailed, error.description)
        case is CancellationError:
            return ResponseError(.requestCancelled, "cancelled")
        default:
            return ResponseError(.internalError, "\(error)")
        }
    }
}
