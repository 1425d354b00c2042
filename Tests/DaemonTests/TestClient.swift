import Daemon
import Foundation
import JSONRPC
import RLMProtocol
import TestSupport

/// Plays the editor: an `LSPServer` in this process, connected by two real pipes.
final class TestClient: @unchecked Sendable {
    let connection: Connection
    let serverExit: Task<Int32, Never>
    private let lock = NSLock()
    private var responses: [RequestID: Result<JSONValue, ResponseError>] = [:]
    private var unnumbered: [ResponseError] = []
    private var received: [(method: String, params: JSONValue)] = []
    /// Indices into `received` that `nextNotification` has handed out.
    private var taken: Set<Int> = []
    private var nextID = 100
    private let toServer: Int32

    convenience init(environment: [String: String]) {
        self.init(framing: .lsp) { connection in
            let server = LSPServer(connection: connection, environment: environment)
            return await server.run()
        }
    }

    /// A client for any server: `serve` runs it over the server's end of the pipes.
    init(framing: Framing, serve: @escaping @Sendable (Connection) async -> Int32) {
        var up: [Int32] = [0, 0], down: [Int32] = [0, 0]
        _ = pipe(&up)
        _ = pipe(&down)
        toServer = up[1]
        let serverSide = Connection(input: up[0], output: down[1], framing: framing)
        serverExit = Task { await serve(serverSide) }
        connection = Connection(input: down[0], output: up[1], framing: framing)
        connection.start()
        let stream = connection.messages
        Task { [weak self] in
            for await item in stream {
                guard let self else { return }
                self.lock.withLock {
                    switch item {
                    case .success(.response(let id, let result)): self.responses[id] = result
                    case .success(.notification(let method, let params)): self.received.append((method, params))
                    case .success(.request(let id, let method, let params)):
                        // The server asks us something (window/workDoneProgress/create): accept.
                        self.received.append((method, params))
                        self.connection.send(.response(id: id, result: .success(.null)))
                    case .failure(let bad): self.unnumbered.append(bad.error)
                    }
                }
            }
        }
    }

    static func environment(cache: String, extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cache + "/cache"
        environment["XDG_STATE_HOME"] = cache + "/state"
        for key in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "RLMD_BASE_URL", "RLMD_MODEL", "RLMD_SUB_MODEL"] { environment[key] = nil }
        environment["XDG_DATA_HOME"] = cache + "/no-data"  // no offline model: a missing provider is an error
        return environment.merging(extra) { $1 }
    }

    func newID() -> RequestID {
        lock.withLock {
            nextID += 1
            return .int(nextID)
        }
    }

    /// Sends a request and waits for its response.
    func request(_ method: String, _ params: JSONValue = .null, id: RequestID? = nil, timeout: Duration = .seconds(30)) async -> Result<JSONValue, ResponseError> {
        let id = id ?? newID()
        send(method, params, id: id)
        return await response(id, timeout: timeout)
    }

    func send(_ method: String, _ params: JSONValue = .null, id: RequestID?) {
        connection.send(id.map { .request(id: $0, method: method, params: params) } ?? .notification(method: method, params: params))
    }

    func response(_ id: RequestID, timeout: Duration = .seconds(30)) async -> Result<JSONValue, ResponseError> {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let result = lock.withLock({ responses.removeValue(forKey: id) }) { return result }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return .failure(ResponseError(.internalError, "no response to \(id) in time"))
    }

    /// Raw bytes, for bad input.
    func sendRaw(_ data: Data) {
        data.withUnsafeBytes { _ = write(toServer, $0.baseAddress, $0.count) }
    }

    /// Notifications (and requests) the server sent with `method`, read under the lock.
    func notifications(_ method: String) -> [(method: String, params: JSONValue)] {
        lock.withLock { received.filter { $0.method == method } }
    }

    func progress(token: String) -> [String] {
        progressValues(token: .string(token)).compactMap { $0["kind"]?.stringValue }
    }

    /// The `value`s of the `$/progress` notifications under `token`, in order.
    func progressValues(token: JSONValue) -> [JSONValue] {
        lock.withLock {
            received.filter { $0.method == Progress.method && $0.params["token"] == token }.compactMap { $0.params["value"] }
        }
    }

    func unnumberedErrors() -> [ResponseError] { lock.withLock { unnumbered } }

    /// The first received `M` notification that `matching` accepts and no earlier call took; it is
    /// marked taken (for `nextNotification`).
    func take<M: NotificationMethod>(_ type: M.Type, _ matching: (M.Params) -> Bool) -> M.Params? {
        lock.withLock {
            for (index, item) in received.enumerated() where item.method == M.method && !taken.contains(index) {
                guard let params = try? item.params.decode(M.Params.self), matching(params) else { continue }
                taken.insert(index)
                return params
            }
            return nil
        }
    }

    func initialize(root: String, options: JSONValue = .null, capabilities: JSONValue = .null) async -> Result<JSONValue, ResponseError> {
        var params: [String: JSONValue] = ["rootUri": .string(URL(fileURLWithPath: root).absoluteString)]
        if capabilities != .null { params["capabilities"] = capabilities }
        if options != .null { params["initializationOptions"] = options }
        return await request(Initialize.method, .object(params))
    }

    /// `initialize` with typed options: the same params as above (nil fields are left out).
    func initialize(root: String, options: Initialize.Options?, capabilities: JSONValue? = nil) async -> Result<Initialize.Result, ResponseError> {
        var params = Initialize.Params(rootUri: URL(fileURLWithPath: root).absoluteString, initializationOptions: options)
        params.capabilities = capabilities
        return await request(Initialize.self, params)
    }

    func exit() async -> Int32 {
        send(Exit.method, id: nil)
        return await serverExit.value
    }

    /// Closes the client's side: the server sees the end of its input.
    func hangUp() async -> Int32 {
        close(toServer)
        return await serverExit.value
    }
}

extension Result {
    var value: Success? { try? get() }
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
