import Foundation
import RLMProtocol

/// The client typed by method: params in, result out, with the wire types of RLMProtocol. Tests that
/// send malformed or raw params on purpose use the `JSONValue` calls of `TestClient` instead.
extension TestClient {
    /// Sends `M`'s request and waits for its result, decoded; a result that does not decode as
    /// `M.Result` is an `internalError` that says so.
    func request<M: RequestMethod>(_ method: M.Type, _ params: M.Params, id: RequestID? = nil,
                                   timeout: Duration = .seconds(30)) async -> Result<M.Result, ResponseError> {
        let encoded: JSONValue
        do {
            encoded = try JSONValue(encoding: params)
        } catch {
            return .failure(ResponseError(.internalError, "\(M.method) params do not encode: \(error)"))
        }
        return Self.decode(M.self, await request(M.method, encoded, id: id, timeout: timeout))
    }

    /// A request of a method that takes no params (`rlm/status`, `rlm/index`, `rlm/sessions`, `shutdown`).
    func request<M: RequestMethod>(_ method: M.Type, timeout: Duration = .seconds(30)) async -> Result<M.Result, ResponseError>
    where M.Params == JSONValue {
        await request(M.self, .null, timeout: timeout)
    }

    /// The result, or the server's error thrown: for the requests a test expects to succeed.
    func call<M: RequestMethod>(_ method: M.Type, _ params: M.Params, timeout: Duration = .seconds(30)) async throws -> M.Result {
        try await request(M.self, params, timeout: timeout).get()
    }

    func call<M: RequestMethod>(_ method: M.Type, timeout: Duration = .seconds(30)) async throws -> M.Result where M.Params == JSONValue {
        try await request(M.self, .null, timeout: timeout).get()
    }

    /// Sends `M`'s request without waiting; `response(M.self, id)` reads its answer.
    func send<M: RequestMethod>(_ method: M.Type, _ params: M.Params, id: RequestID) {
        send(M.method, (try? JSONValue(encoding: params)) ?? .null, id: id)
    }

    func response<M: RequestMethod>(_ method: M.Type, _ id: RequestID, timeout: Duration = .seconds(30)) async -> Result<M.Result, ResponseError> {
        Self.decode(M.self, await response(id, timeout: timeout))
    }

    /// Sends a notification with typed params.
    func notify<M: NotificationMethod>(_ method: M.Type, _ params: M.Params) {
        send(M.method, (try? JSONValue(encoding: params)) ?? .null, id: nil)
    }

    /// The `M` notifications received so far, in order, decoded (one that does not decode is left out).
    func notifications<M: NotificationMethod>(_ type: M.Type) -> [M.Params] {
        notifications(M.method).compactMap { try? $0.params.decode(M.Params.self) }
    }

    /// The `M` requests the server sent so far (`window/showDocument`, `window/workDoneProgress/create`), decoded.
    func serverRequests<M: RequestMethod>(_ type: M.Type) -> [M.Params] {
        notifications(M.method).compactMap { try? $0.params.decode(M.Params.self) }
    }

    /// Waits for the first `M` notification that `matching` accepts and no earlier call returned; each
    /// is handed out once, so successive calls read them in order. Throws when none comes in time.
    func nextNotification<M: NotificationMethod>(ofType type: M.Type, where matching: (M.Params) -> Bool = { _ in true },
                                                 timeout: Duration = .seconds(30)) async throws -> M.Params {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = take(M.self, matching) { return found }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ResponseError(.internalError, "no \(M.method) notification in time")
    }

    /// The `value`s of the `$/progress` notifications under `token`, in order, typed.
    func workDone(token: ProgressToken) -> [RLMProtocol.Progress.WorkDone] {
        notifications(RLMProtocol.Progress.self).filter { $0.token == token }.map(\.value)
    }

    private static func decode<M: RequestMethod>(_ method: M.Type, _ result: Result<JSONValue, ResponseError>) -> Result<M.Result, ResponseError> {
        result.flatMap { value in
            do {
                return .success(try value.decode(M.Result.self))
            } catch {
                return .failure(ResponseError(.internalError, "\(M.method) result does not decode: \(error)", data: value))
            }
        }
    }
}
