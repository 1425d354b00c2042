import ContextStore
import Foundation
import JSONRPC
import LMClient
import Logging
import REPL
import RLMEngine
import RLMProtocol
import RLMSupport

/// `rlmd mcp`: the Model Context Protocol over stdio (newline-delimited JSON-RPC), for Claude Code,
/// Cursor and other MCP clients. Tools: ask_repo, follow_up, summarize_session, grep, read, search.
///
/// Built on our JSONRPC module rather than modelcontextprotocol/swift-sdk: the daemon already has
/// framing, dispatch and cancellation, and the SDK's stdio transport polls with sleeps.
public actor MCPServer {
    let connection: Connection
    let environment: [String: String]
    let logger: Logger
    let workspace: Workspace
    let setup: ModelSetup
    var running: [RequestID: Task<Void, Never>] = [:]
    let questions: QuestionService

    /// The MCP versions this server implements, newest first: `initialize` echoes the client's
    /// version when it is one of them, else answers the newest (the spec's negotiation, as the SDK does).
    public static let protocolVersions = ["2025-06-18", "2025-03-26", "2024-11-05"]

    static let instructions = "Questions about this repository (ask_repo) or its AI-coding sessions (summarize_session) are answered by a recursive language model over the whole codebase; grep, read and search are instant lookups in rlmd's index."

    static func negotiate(_ requested: JSONValue?) -> String {
        if let requested = requested?.stringValue, protocolVersions.contains(requested) { return requested }
        return protocolVersions[0]
    }

    public init(connection: Connection, root: String, setup: ModelSetup = ModelSetup(),
                environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger = Logger(label: "rlmd.mcp")) {
        self.connection = connection
        self.environment = environment
        self.logger = logger
        self.setup = setup
        workspace = Workspace(root: root, environment: environment, logger: logger)
        questions = QuestionService(environment: environment, logger: logger)
    }

    public func run() async -> Int32 {
        let logger = logger
        connection.onFramingError = { logger.warning("framing: \($0)") }
        connection.start()
        await workspace.refresh()
        for await item in connection.messages {
            switch item {
            case .failure(let bad):
                connection.sendError(bad.error, id: bad.id)
            case .success(.request(let id, let method, let params)):
                handle(id: id, method: method, params: params)
            case .success(.notification(let method, let params)):
                if method == "notifications/cancelled", let id = params["requestId"].flatMap(RequestID.init) { running[id]?.cancel() }
            case .success(.response):
                break
            }
        }
        for task in running.values { task.cancel() }
        await questions.closeAll()
        await connection.flush()
        connection.close()
        return 0
    }

    private func handle(id: RequestID, method: String, params: JSONValue) {
        let task = Task {
            let result: Result<any Encodable & Sendable, ResponseError>
            do {
                result = .success(try await self.answer(method: method, params: params))
            } catch {
                result = .failure(DaemonError.response(for: error, cancelled: Task.isCancelled))
            }
            self.finish(id: id, result: result)
        }
        running[id] = task
    }

    private func finish(id: RequestID, result: Result<any Encodable & Sendable, ResponseError>) {
        running[id] = nil
        switch result {
        case .success(let value): connection.sendResult(id: id, value)
        case .failure(let error): connection.sendError(error, id: id)
        }
    }

    private func answer(method: String, params: JSONValue) async throws -> any Encodable & Sendable {
        switch method {
        case MCP.Initialize.method:
            return MCP.Initialize.Result(protocolVersion: Self.negotiate(params["protocolVersion"]),
                                         capabilities: .init(tools: .init(listChanged: false)), serverInfo: .rlmd,
                                         instructions: Self.instructions)
        case "ping":
            return JSONValue.object([:])
        case MCP.ListTools.method:
            return MCP.ListTools.Result(tools: MCPTools.all)
        case MCP.CallTool.method:
            guard let name = params["name"]?.stringValue else { throw ResponseError(.invalidParams, "tools/call needs a tool name") }
            let arguments = params["arguments"] ?? .object([:])
            let token = params["_meta"]?["progressToken"]
            do {
                return MCP.CallTool.Result(text: try await call(name, arguments, progressToken: token))
            } catch let error as ResponseError where error.code == .invalidParams || error.code == .methodNotFound {
                throw error
            } catch where !Task.isCancelled {
                // Tool failures are results the model can read, per MCP; protocol errors stay errors.
                return MCP.CallTool.Result(text: DaemonError.response(for: error).message, isError: true)
            }
        default:
            throw ResponseError(.methodNotFound, "unknown method \(method)")
        }
    }

    private func call(_ name: String, _ arguments: JSONValue, progressToken: JSONValue?) async throws -> String {
        func string(_ key: String) throws -> String {
            guard let value = arguments[key]?.stringValue, !value.isEmpty else { throw ResponseError(.invalidParams, "\(name) needs \"\(key)\"") }
            return value
        }
        func integer(_ key: String) -> Int? {
            if case .int(let value) = arguments[key] { return value }
            return nil
        }
        switch name {
        case "ask_repo":
            return try await ask(try string("question"), conversation: nil, progressToken: progressToken)
        case "follow_up":
            return try await ask(try string("question"), conversation: try string("conversation"), progressToken: progressToken)
        case "summarize_session":
            return try await summarize(file: arguments["file"]?.stringValue, progressToken: progressToken)
        case "grep":
            let snapshot = try await workspace.snapshot()
            let matches = try snapshot.grep(try string("pattern"), options: GrepOptions(pathGlob: arguments["glob"]?.stringValue,
                                                                                   maxHits: integer("max_hits") ?? 100))
            return matches.isEmpty ? "no matches" : matches.map { "\($0.path):\($0.line):\($0.text)" }.joined(separator: "\n")
        case "read":
            let snapshot = try await workspace.snapshot()
            return try snapshot.lines(path: try string("path"), startLine: integer("start_line"), endLine: integer("end_line"))
        case "search":
            let snapshot = try await workspace.snapshot()
            let query = try string("query"), limit = integer("k") ?? 10
            let hits = try await OffPool.run { try snapshot.search(query, limit: limit) }
            return hits.isEmpty ? "no results" : hits.map { "\($0.path):\($0.line): \($0.snippet)" }.joined(separator: "\n")
        default:
            throw ResponseError(.invalidParams, "unknown tool \(name)")
        }
    }

    private func ask(_ question: String, conversation: String?, progressToken: JSONValue?) async throws -> String {
        let name: String
        if let conversation {
            guard await questions.hasConversation(conversation) else { throw ResponseError(.invalidParams, "no conversation \(conversation)") }
            name = conversation
        } else {
            name = try await questions.startConversation(context: .store(try await workspace.snapshot()), setup: setup, options: RLMOptions())
        }
        return try await run(name, question, task: nil, progressToken: progressToken)
    }

    private func summarize(file: String?, progressToken: JSONValue?) async throws -> String {
        let context = try await questions.sessionContext(file: file, workspace: workspace.root)
        let name = try await questions.startConversation(context: context, setup: setup, options: RLMOptions())
        return try await run(name, SessionSummary.question, task: SessionSummary.task, progressToken: progressToken)
    }

    /// Asks in conversation `name`; `notifications/progress` after each model call when the client gave a progress token.
    private func run(_ name: String, _ question: String, task: String?, progressToken: JSONValue?) async throws -> String {
        let connection = connection
        let report: QuestionService.Report = { progress in
            guard let token = progressToken, progress.step == .modelCalled else { return }
            connection.notify(MCP.Progress.self, .init(progressToken: token, progress: progress.calls, message: progress.line))
        }
        let answer = try await questions.ask(in: name, question, task: task, progress: report).answer
        var lines = [answer.partial ? "(partial answer: \(answer.reason ?? "stopped early"))\n\(answer.answer)" : answer.answer]
        let cited = answer.citations.map { "\($0.path):\($0.startLine)-\($0.endLine)" + ($0.resolved ? "" : " (not found in the index)") }
        if !cited.isEmpty { lines.append("Citations: " + cited.joined(separator: ", ")) }
        lines.append("conversation: \(name) (pass to follow_up) · trajectory: \(answer.trajectoryID) · "
                     + String(format: "cost $%.4f, %d model calls", answer.usage.costUSD, answer.usage.calls))
        return lines.joined(separator: "\n\n")
    }
}
