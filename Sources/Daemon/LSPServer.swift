import ContextStore
import Foundation
import JSONRPC
import LMClient
import Logging
import REPL
import RLMEngine
import RLMProtocol

/// The editor side of rlmd: LSP lifecycle plus the `rlm/*` requests over one connection.
///
/// Messages are read serially; each request then runs in its own task, kept by id so
/// `$/cancelRequest` can stop it, and `rlm/status` answers while asks run.
public actor LSPServer {
    enum Lifecycle { case uninitialized, running, shutDown }

    let connection: Connection
    let environment: [String: String]
    let logger: Logger
    var lifecycle = Lifecycle.uninitialized
    var workspace: Workspace?
    var setup = ModelSetup()
    var budgets: Budgets?
    var sandbox: SandboxOptions?
    var running: [RequestID: Job] = [:]
    var progressTokens: [ProgressToken: RequestID] = [:]
    let questions: QuestionService
    var spend = Status.Spend(costUsd: 0, calls: 0, input: 0, output: 0)
    /// The client said `window.workDoneProgress`: questions without a token get one we create.
    var clientCreatesProgress = false
    /// The client said `window.showDocument.support`: answers to `workspace/executeCommand` open as files.
    var clientShowsDocuments = false
    var serverRequests: [RequestID: CheckedContinuation<Bool, Never>] = [:]
    var nextServerRequest = 0

    struct Job {
        var method: String
        var question: String?
        var started: ContinuousClock.Instant
        var turn = 0
        var task: Task<Void, Never>?
    }

    public init(connection: Connection, environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: Logger = Logger(label: "rlmd.daemon")) {
        self.connection = connection
        self.environment = environment
        self.logger = logger
        questions = QuestionService(environment: environment, logger: logger)
    }

    /// Serves until `exit` or the end of input; returns the process exit status (0 only after `shutdown`).
    public func run() async -> Int32 {
        let logger = logger
        connection.onFramingError = { logger.warning("framing: \($0)") }
        connection.start()
        for await item in connection.messages {
            switch item {
            case .failure(let bad):
                connection.sendError(bad.error, id: bad.id)
            case .success(.request(let id, let method, let params)):
                if method == Initialize.method && lifecycle == .uninitialized {
                    // Answered before the next message is read: clients may send requests right behind it.
                    await initializeInline(id: id, params: params)
                } else {
                    handleRequest(id: id, method: method, params: params)
                }
            case .success(.notification(let method, let params)):
                if method == Exit.method { return await finish() }
                handleNotification(method: method, params: params)
            case .success(.response(let id, let result)):
                if case .failure = result { serverRequests.removeValue(forKey: id)?.resume(returning: false) }
                else { serverRequests.removeValue(forKey: id)?.resume(returning: true) }
            }
        }
        return await finish()
    }

    private func finish() async -> Int32 {
        for continuation in serverRequests.values { continuation.resume(returning: false) }
        serverRequests = [:]
        for job in running.values { job.task?.cancel() }
        // Cancelled requests still owe an answer; give them a moment to send it. A `shutdown` still
        // running waits for the work it cancelled (an index build cannot stop midway), and its
        // answer comes first: an `exit` sent right behind it gets the orderly end it asked for.
        let shuttingDown = running.values.contains { $0.method == Shutdown.method }
        let deadline = ContinuousClock.now + .seconds(shuttingDown ? 30 : 2)
        while !running.isEmpty && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        await questions.closeAll()
        await connection.flush()
        connection.close()
        return lifecycle == .shutDown ? 0 : 1
    }

    /// Sends `window/workDoneProgress/create` and waits (at most 5 s) for the client to accept the token.
    func createProgressToken() async -> ProgressToken? {
        nextServerRequest += 1
        let name = "rlmd-progress-\(nextServerRequest)"
        let token = ProgressToken.string(name)
        let id = RequestID.string("rlmd-\(nextServerRequest)")
        connection.send(.request(id: id, method: WorkDoneProgressCreate.method, params: .object(["token": .string(name)])))
        let timeout = Task {
            try? await Task.sleep(for: .seconds(5))
            self.abandonServerRequest(id)
        }
        defer { timeout.cancel() }
        let accepted = await withCheckedContinuation { serverRequests[id] = $0 }
        return accepted ? token : nil
    }

    private func abandonServerRequest(_ id: RequestID) {
        serverRequests.removeValue(forKey: id)?.resume(returning: false)
    }

    private func initializeInline(id: RequestID, params: JSONValue) async {
        do {
            connection.sendResult(id: id, try await initialize(try Self.decode(Initialize.Params.self, params)))
        } catch {
            connection.sendError(DaemonError.response(for: error), id: id)
        }
    }

    // MARK: Dispatch

    private func handleRequest(id: RequestID, method: String, params: JSONValue) {
        if running[id] != nil {
            connection.sendError(ResponseError(.invalidRequest, "request id \(id) is already in use by a running request"), id: id)
            return
        }
        switch lifecycle {
        case .uninitialized where method != Initialize.method:
            connection.sendError(ResponseError(.serverNotInitialized, "send initialize first"), id: id)
            return
        case .running where method == Initialize.method:
            connection.sendError(ResponseError(.invalidRequest, "initialize was already received"), id: id)
            return
        case .shutDown:
            connection.sendError(ResponseError(.invalidRequest, "the server is shut down; only exit is accepted"), id: id)
            return
        default:
            break
        }
        guard let handler = Self.handlers[method] else {
            connection.sendError(ResponseError(.methodNotFound, "unknown method \(method)"), id: id)
            return
        }
        if method == Shutdown.method { lifecycle = .shutDown }  // refuse what follows at once
        running[id] = Job(method: method, question: params["question"]?.stringValue, started: .now)
        let task = Task {
            let result: Result<any Encodable & Sendable, ResponseError>
            do {
                result = .success(try await handler(self, id, params))
            } catch {
                result = .failure(DaemonError.response(for: error, cancelled: Task.isCancelled))
            }
            self.complete(id: id, result: result)
        }
        running[id]?.task = task
    }

    private func complete(id: RequestID, result: Result<any Encodable & Sendable, ResponseError>) {
        running[id] = nil
        if !progressTokens.isEmpty { progressTokens = progressTokens.filter { $0.value != id } }
        switch result {
        case .success(let value): connection.sendResult(id: id, value)
        case .failure(let error): connection.sendError(error, id: id)
        }
    }

    private func handleNotification(method: String, params: JSONValue) {
        switch method {
        case CancelRequest.method:
            guard let id = params["id"].flatMap(RequestID.init) else { return }
            running[id]?.task?.cancel()  // an unknown id is not an error: the request may have just finished
        case WorkDoneProgressCancel.method:
            guard let token = params["token"].flatMap(RequestID.init), let id = progressTokens[token] else { return }
            running[id]?.task?.cancel()
        case DidChangeWatchedFiles.method, DidSave.method:
            if lifecycle == .running { Task { await workspace?.refresh() } }
        default:
            break  // initialized, $/ notifications and unknown notifications need no answer
        }
    }

    typealias Handler = @Sendable (LSPServer, RequestID, JSONValue) async throws -> any Encodable & Sendable

    static let handlers: [String: Handler] = [
        Initialize.method: { server, _, params in try await server.initialize(try decode(Initialize.Params.self, params)) },
        Shutdown.method: { server, _, _ in await server.shutdown() },
        Ask.method: { server, id, params in try await server.ask(id: id, try decode(Ask.Params.self, params)) },
        FollowUp.method: { server, id, params in try await server.followUp(id: id, try decode(FollowUp.Params.self, params)) },
        SummarizeSession.method: { server, id, params in
            try await server.summarize(id: id, try decode(SummarizeSession.Params.self, params))
        },
        IndexWorkspace.method: { server, _, _ in try await server.index() },
        Status.method: { server, _, _ in try await server.status() },
        TrajectoryRequest.method: { server, _, params in try await server.trajectory(try decode(TrajectoryRequest.Params.self, params)) },
        Sessions.method: { server, _, _ in try await server.sessions() },
        ExecuteCommand.method: { server, id, params in try await server.execute(id: id, try decode(ExecuteCommand.Params.self, params)) },
    ]

    static func decode<T: Decodable>(_ type: T.Type, _ params: JSONValue) throws -> T {
        do {
            return try params.decode(T.self)
        } catch let error as DecodingError {
            throw ResponseError(.invalidParams, "invalid params: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" should be \(type)"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}
