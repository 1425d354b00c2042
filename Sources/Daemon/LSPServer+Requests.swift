import ContextStore
import Foundation
import JSONRPC
import LMClient
import REPL
import RLMEngine
import RLMProtocol
import RLMSupport

extension LSPServer {
    func initialize(_ params: Initialize.Params) async throws -> Initialize.Result {
        guard let root = Self.workspaceRoot(params) else {
            throw ResponseError(.invalidParams, "no workspace: give workspaceFolders, rootUri or rootPath")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ResponseError(.invalidParams, "the workspace \(root) is not a folder")
        }
        do {
            try WorkspaceLocator.checkWorkspaceRoot(root, environment: environment)
        } catch {
            throw ResponseError(.invalidParams, error.description)
        }
        let options = params.initializationOptions
        clientCreatesProgress = params.capabilities?["window"]?["workDoneProgress"] == .bool(true)
        clientShowsDocuments = params.capabilities?["window"]?["showDocument"]?["support"] == .bool(true)
        setup = ModelSetup(provider: options?.provider, baseURL: options?.baseUrl, model: options?.model, subModel: options?.subModel)
        budgets = options?.budgets
        sandbox = options?.sandbox
        let workspace = Workspace(root: (root as NSString).standardizingPath, environment: environment,
                                  exactText: options?.sandbox?.exactText, logger: logger)
        self.workspace = workspace
        lifecycle = .running
        // The build starts now; its progress token needs the client's answer, which can only come
        // after our initialize result, so reports wait in the relay until the token exists.
        if clientCreatesProgress {
            let relay = IndexProgressRelay(connection: connection)
            if let build = await workspace.refresh(progress: { relay.report($0) }) {
                Task { await self.reportIndexBuild(build, relay: relay, title: "rlm: indexing \(workspace.root)") }
            }
        } else {
            await workspace.refresh()
        }
        let result = Initialize.Result(
            capabilities: .init(executeCommandProvider: .init(commands: ExecuteCommand.commands),
                                textDocumentSync: .init(openClose: false, save: true),
                                experimental: ["rlm": ProtocolMethods.requests.filter { $0.hasPrefix("rlm/") }]),
            serverInfo: .rlmd)
        return result
    }

    /// The first index build, reported as work-done progress under a token the server creates.
    private func reportIndexBuild(_ build: Task<IndexReport, Error>, relay: IndexProgressRelay, title: String) async {
        guard let token = await createProgressToken() else { return }
        relay.begin(token: token, title: title)
        do {
            let report = try await build.value
            relay.end("\(report.files) files, \(report.changed) changed")
        } catch {
            relay.end("failed: \(error)")
        }
    }

    static func workspaceRoot(_ params: Initialize.Params) -> String? {
        if let folder = params.workspaceFolders?.first, let path = fileURLPath(folder.uri) { return path }
        if let uri = params.rootUri, let path = fileURLPath(uri) { return path }
        return params.rootPath
    }

    static func fileURLPath(_ uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return uri.hasPrefix("/") ? uri : nil }
        return url.path
    }

    /// Cancels what runs and answers only once each of those requests has had its answer sent.
    func shutdown() async -> Empty {
        lifecycle = .shutDown
        let others = running.values.filter { $0.method != Shutdown.method }.compactMap(\.task)
        for task in others { task.cancel() }
        for task in others { await task.value }
        return Empty()
    }

    // MARK: Questions

    func ask(id: RequestID, _ params: Ask.Params) async throws -> Answer {
        var question = params.question
        if let selection = params.selection {
            question += "\n\nThe user has selected \(selection.path):\(selection.startLine)-\(selection.endLine)"
                + (selection.text.map { ":\n```\n\($0)\n```" } ?? ".")
        }
        let snapshot = try await requireWorkspace().snapshot()
        let conversation = try await questions.startConversation(
            context: .store(snapshot), setup: questionSetup(params.options),
            options: Conversions.options(sandbox: sandbox, budgets: budgets, question: params.options))
        return try await answer(id: id, token: params.workDoneToken, title: "rlm: \(params.question.prefix(60))",
                                conversation: conversation, question: question)
    }

    func followUp(id: RequestID, _ params: FollowUp.Params) async throws -> Answer {
        guard await questions.hasConversation(params.conversation) else { throw QuestionError.unknownConversation(params.conversation) }
        return try await answer(id: id, token: params.workDoneToken, title: "rlm: \(params.question.prefix(60))",
                                conversation: params.conversation, question: params.question)
    }

    func summarize(id: RequestID, _ params: SummarizeSession.Params) async throws -> Answer {
        let context = try await questions.sessionContext(file: params.file, tool: params.tool ?? "claude", workspace: try requireWorkspace().root)
        let conversation = try await questions.startConversation(context: context, setup: setup,
                                                                 options: Conversions.options(sandbox: sandbox, budgets: budgets, question: nil))
        return try await answer(id: id, token: params.workDoneToken, title: "rlm: summarize session", conversation: conversation,
                                question: SessionSummary.question, task: SessionSummary.task)
    }

    private func questionSetup(_ options: QuestionOptions?) -> ModelSetup {
        var setup = self.setup
        if let model = options?.model { setup.model = model }
        if let subModel = options?.subModel { setup.subModel = subModel }
        return setup
    }

    /// Asks in `conversation`, with `$/progress` when the client gave a token (or lets us create one):
    /// `begin`, a `report` after each model call, and an `end` however the question ends.
    private func answer(id: RequestID, token: ProgressToken?, title: String, conversation: String, question: String,
                        task: String? = nil) async throws -> Answer {
        var token = token
        if token == nil && clientCreatesProgress { token = await createProgressToken() }
        if let token {
            progressTokens[token] = id
            connection.notify(Progress.self, .init(token: token, value: .init(kind: .begin, title: title, cancellable: true)))
        }
        let connection = connection, progressToken = token
        let report: QuestionService.Report = { progress in
            if progress.step == .turnStarted { await self.setTurn(id, progress.turn) }
            if progress.step == .modelCalled, let token = progressToken { connection.notify(Progress.self, .init(token: token, value: Conversions.report(progress))) }
        }
        let answered: QuestionService.Answered
        do {
            answered = try await questions.ask(in: conversation, question, task: task, progress: report)
        } catch {
            if let token {
                connection.notify(Progress.self, .init(token: token, value: Conversions.end(error, cancelled: Task.isCancelled, conversation: conversation)))
            }
            throw error
        }
        record(answered.answer.usage)
        if let token { connection.notify(Progress.self, .init(token: token, value: Conversions.end(answered.answer, conversation: conversation))) }
        return Conversions.answer(answered.answer, conversation: conversation)
    }

    private func setTurn(_ id: RequestID, _ turn: Int) { running[id]?.turn = turn }

    private func record(_ usage: RunUsage) {
        spend.costUsd += usage.costUSD
        spend.calls += usage.calls
        spend.input += usage.input
        spend.output += usage.output
    }

    // MARK: Index, status, records

    func index() async throws -> IndexWorkspace.Result {
        let report = try await requireWorkspace().refreshNow()
        return IndexWorkspace.Result(files: report.files, bytes: report.bytes, tokens: report.tokens, changed: report.changed,
                                     seconds: report.seconds)
    }

    func status() async throws -> Status.Result {
        let now = ContinuousClock.now
        let jobs = running.filter { $0.value.method != Status.method }.map { id, job in
            Status.Job(id: id, method: job.method, question: job.question, seconds: (now - job.started).milliseconds / 1000, turn: job.turn)
        }.sorted { $0.seconds > $1.seconds }
        var state = "none", error: String?, files: Int?
        if let workspace { (state, error, files) = await workspace.summary() }
        return Status.Result(root: workspace?.root, index: state, indexError: error, files: files, jobs: jobs, spend: spend,
                             sandbox: Sandbox.detect().mode.rawValue, pid: Int(getpid()))
    }

    func trajectory(_ params: TrajectoryRequest.Params) async throws -> TrajectoryRequest.Result {
        let store = questions.trajectories, environment = environment
        // Off the actor: a page of a large trajectory takes a while to write.
        return try await OffPool.run { try TrajectoryExport.result(params, store: store, environment: environment) }
    }

    func sessions() async throws -> Sessions.Result {
        let root = try requireWorkspace().root
        let found = SessionDiscovery.all(workspace: root, environment: environment).map {
            Sessions.Session(tool: $0.tool, id: $0.id, path: $0.path, first: $0.firstTimestamp, last: $0.lastTimestamp, messages: $0.messages,
                             title: $0.title, bytes: Int($0.bytes))
        }
        return found
    }

    func requireWorkspace() throws -> Workspace {
        guard let workspace else { throw ResponseError(.serverNotInitialized, "no workspace") }
        return workspace
    }
}

/// Index progress as `$/progress` reports under a token that may arrive after the build started:
/// until then reports are dropped; afterwards at most one per 100 ms.
final class IndexProgressRelay: @unchecked Sendable {  // `token` and `last` only under `lock`
    private let connection: Connection
    private let lock = NSLock()
    private var token: ProgressToken?
    private var last = ContinuousClock.now - .seconds(1)

    init(connection: Connection) {
        self.connection = connection
    }

    func begin(token: ProgressToken, title: String) {
        lock.withLock { self.token = token }
        connection.notify(Progress.self, .init(token: token, value: .init(kind: .begin, title: title)))
    }

    func report(_ progress: IndexProgress) {
        guard progress.phase == .reading else { return }
        let due: ProgressToken? = lock.withLock {
            let now = ContinuousClock.now
            guard let token, now - last >= .milliseconds(100) else { return nil }
            last = now
            return token
        }
        guard let token = due else { return }
        var value = Progress.WorkDone(kind: .report, message: "\(progress.done)/\(progress.total) \(progress.unit)")
        if progress.total > 0 { value.percentage = min(100, progress.done * 100 / progress.total) }
        connection.notify(Progress.self, .init(token: token, value: value))
    }

    func end(_ message: String) {
        guard let token = lock.withLock({ token }) else { return }
        connection.notify(Progress.self, .init(token: token, value: .init(kind: .end, message: message)))
    }
}
