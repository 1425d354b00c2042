import ContextStore
import Foundation
import REPL
import RLMEngine
import RLMProtocol

/// The questions a server keeps open for follow-ups, shared by the LSP and MCP servers: the 16 most
/// recent conversations (each holds a REPL process), their trajectories in one store, and the models,
/// resolved once per setup (resolving the offline model starts a llama.cpp server, which must outlive
/// every conversation that uses it).
actor Conversations {
    static let kept = 16

    nonisolated let trajectories: TrajectoryStore?
    private let environment: [String: String]
    private var resolved: [String: ModelSetup.Resolved] = [:]
    private var sessions: [String: RLMSession] = [:]
    private var order: [String] = []

    init(environment: [String: String]) {
        self.environment = environment
        trajectories = try? TrajectoryStore(path: TrajectoryStore.defaultPath(environment: environment))
    }

    subscript(name: String) -> RLMSession? { sessions[name] }

    /// A new conversation over `context`, and its name.
    func start(_ context: ReplContext, setup: ModelSetup, options: RLMOptions) async throws -> (name: String, session: RLMSession) {
        let session = RLMSession(context: context, models: try await models(for: setup), options: options, store: trajectories)
        let name = "c" + TrajectoryStore.newID().prefix(11)
        sessions[name] = session
        order.append(name)
        while order.count > Self.kept {
            if let oldest = sessions.removeValue(forKey: order.removeFirst()) { Task { await oldest.close() } }
        }
        return (name, session)
    }

    func closeAll() async {
        for session in sessions.values { await session.close() }
        sessions = [:]
        order = []
    }

    private func models(for setup: ModelSetup) async throws -> RLMModels {
        let key = [setup.provider, setup.baseURL, setup.model, setup.subModel].map { $0 ?? "" }.joined(separator: "|")
        if let known = resolved[key] { return known.models }
        let environment = environment
        let fresh = try await OffPool.run { try setup.resolve(environment: environment) }
        resolved[key] = fresh
        return fresh.models
    }
}

/// Follows a question's events: the turn it is in and, after each model call, a report (the turn,
/// sub-calls started and totals so far) with its running count.
enum QuestionProgress {
    struct Report: Sendable {
        var turn: Int
        var subCalls: Int
        var usage: RunUsage
        var count: Int
        /// `turn N · S sub-calls · T tokens · $cost`
        var line: String { Conversions.progressMessage(turn: turn, subCalls: subCalls, usage: usage) }
    }

    static func follow(_ session: RLMSession, turn: @escaping @Sendable (Int) async -> Void = { _ in },
                       report: @escaping @Sendable (Report) async -> Void) async {
        var currentTurn = 0, subCalls = 0, reports = 0
        for await event in session.events {
            if Task.isCancelled { return }
            switch event {
            case .turnStarted(_, let iteration):
                currentTurn = iteration
                await turn(iteration)
            case .subCallStarted:
                subCalls += 1
            case .usage(let usage):
                reports += 1
                await report(Report(turn: currentTurn, subCalls: subCalls, usage: usage, count: reports))
            case .finished:
                return
            default:
                break
            }
        }
    }
}
