import ContextStore
import Foundation
import LMClient
import Logging
import REPL
import RLMSupport

/// The one way a question is answered, shared by every front end (the CLI, the LSP and MCP servers,
/// the bench): models resolved once per setup, contexts opened (a session imported), conversations
/// kept for follow-ups, trajectories saved, progress reported as `QuestionProgress`.
///
/// It keeps the `kept` most recent conversations, each an `RLMSession` with its REPL; older ones are
/// closed. Resolving a setup can start the offline model's llama.cpp server, which lives as long as
/// the service, since conversations that use it may still follow up.
public actor QuestionService {
    public typealias Report = @Sendable (QuestionProgress) async -> Void

    public struct Answered: Sendable {
        public var answer: RLMAnswer
        /// Pass to `followUp`.
        public var conversation: String
    }

    public nonisolated let trajectories: TrajectoryStore?
    private let environment: [String: String]
    private let kept: Int
    /// Bytes all conversations' REPLs may hold together (`ReplProcess.anonymousBytes`: the mapped
    /// context they share aside) before the least recently used idle ones are closed (0: no limit).
    private let replMemoryBudget: Int
    private let logger: Logger
    private var resolving: [String: Task<ModelSetup.Resolved, Error>] = [:]
    private var conversations: [String: RLMSession] = [:]
    private var order: [String] = []
    private var running: Set<String> = []

    public static let defaultREPLMemoryMB = 1024

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, kept: Int = 16,
                replMemoryBytes: Int? = nil,
                trajectories: TrajectoryStore? = nil, logger: Logger = Logger(label: "rlmd.questions")) {
        self.environment = environment
        self.kept = kept
        let configured = (try? ConfigFile.load(environment: environment))?.sandbox?.conversations_memory_mb
        replMemoryBudget = replMemoryBytes ?? (configured ?? Self.defaultREPLMemoryMB) << 20
        self.logger = logger
        self.trajectories = trajectories ?? (try? TrajectoryStore(path: TrajectoryStore.defaultPath(environment: environment)))
    }

    /// The models of `setup`, resolved once (concurrent callers share the resolution).
    public func resolve(_ setup: ModelSetup) async throws -> ModelSetup.Resolved {
        let key = [setup.provider, setup.baseURL, setup.model, setup.subModel].map { $0 ?? "" }.joined(separator: "|")
        if let known = resolving[key] { return try await known.value }
        let environment = environment
        let task = Task { try await OffPool.run { try setup.resolve(environment: environment) } }
        resolving[key] = task
        do {
            return try await task.value
        } catch {
            resolving[key] = nil  // a later call may find the provider configured
            throw error
        }
    }

    /// A new conversation about `context`, with no question yet; its name.
    public func startConversation(context: ReplContext, setup: ModelSetup, options: RLMOptions) async throws -> String {
        let resolved = try await resolve(setup)
        return startConversation(context: context, models: resolved.models, options: resolved.applied(to: options))
    }

    /// A new conversation with models given as they are (an in-process model, in the bench's perf suite).
    public func startConversation(context: ReplContext, models: RLMModels, options: RLMOptions) -> String {
        let name = "c" + TrajectoryStore.newID().prefix(11)
        conversations[name] = RLMSession(context: context, models: models, options: options, store: trajectories)
        order.append(name)
        while order.count > kept {
            if let oldest = conversations.removeValue(forKey: order.removeFirst()) { Task { await oldest.close() } }
        }
        return name
    }

    /// A question in a new conversation about `context`. `task` adds instructions to its first message.
    public func ask(_ question: String, task: String? = nil, context: ReplContext, setup: ModelSetup, options: RLMOptions,
                    progress: Report? = nil) async throws -> Answered {
        let name = try await startConversation(context: context, setup: setup, options: options)
        return try await ask(in: name, question, task: task, progress: progress)
    }

    /// A question in `conversation`; after the first, its REPL variables and earlier answers carry over.
    public func ask(in conversation: String, _ question: String, task: String? = nil, progress: Report? = nil) async throws -> Answered {
        guard let session = conversations[conversation] else { throw QuestionError.unknownConversation(conversation) }
        if let index = order.firstIndex(of: conversation) { order.append(order.remove(at: index)) }
        return Answered(answer: try await run(conversation, session, question, task: task, progress: progress), conversation: conversation)
    }

    public func hasConversation(_ name: String) -> Bool { conversations[name] != nil }

    /// The snapshot of a session — `file`, else the workspace's newest of `tool` — imported or refreshed first.
    public func sessionContext(file: String?, tool: String = "claude", workspace: String) async throws -> ReplContext {
        guard let path = file ?? SessionDiscovery.latest(tool: tool, workspace: workspace, environment: environment) else {
            throw QuestionError.noSession(tool: tool, workspace: workspace)
        }
        let location = StoreLocation.forSession(file: path, environment: environment), logger = logger
        do {
            return .store(try await OffPool.run { try SessionImporter.refreshedSnapshot(file: path, location: location, logger: logger) })
        } catch {
            throw QuestionError.sessionImport(path: path, "\(error)")
        }
    }

    /// Ends one conversation and its REPL.
    public func end(_ conversation: String) async {
        order.removeAll { $0 == conversation }
        await conversations.removeValue(forKey: conversation)?.close()
    }

    /// Ends every conversation's REPL.
    public func closeAll() async {
        let open = conversations.values
        conversations = [:]
        order = []
        for session in open { await session.close() }
    }

    /// Asks, reporting progress until the answer (every report comes before this returns). The
    /// session's events are always followed, so none are left over for its next question.
    private func run(_ name: String, _ session: RLMSession, _ question: String, task: String?, progress: Report?) async throws -> RLMAnswer {
        guard running.insert(name).inserted else { throw QuestionError.conversationBusy(name) }
        defer { running.remove(name) }
        order.removeAll { $0 == name }
        order.append(name)
        await trimREPLs(keeping: name)
        defer { Task { await self.trimREPLs(keeping: name) } }
        let watcher = Task { await QuestionProgress.follow(session.events, report: progress ?? { _ in }) }
        do {
            let answer = try await session.ask(question, task: task)
            await watcher.value  // it ends at the answer's `.finished`
            return answer
        } catch {
            watcher.cancel()
            throw error
        }
    }
}

extension QuestionService {
    /// Closes the REPLs of the least recently used idle conversations while all REPLs together
    /// hold more than the budget; their follow-ups start a new one.
    func trimREPLs(keeping current: String) async {
        guard replMemoryBudget > 0 else { return }
        var live: [(name: String, pid: pid_t)] = []
        for name in order {
            if let pid = await conversations[name]?.replProcessID() { live.append((name, pid)) }
        }
        guard !live.isEmpty else { return }
        let roots = live.map(\.pid)
        let sizes = await OffPool.run { ReplProcess.anonymousBytes(roots: roots) }
        let held = zip(live, sizes).map { (name: $0.name, bytes: $1) }
        var total = held.reduce(0) { $0 + $1.bytes }
        for (name, bytes) in held where total > replMemoryBudget && name != current && !running.contains(name) {
            running.insert(name)  // a question arriving meanwhile is told the conversation is busy
            let released = await conversations[name]?.releaseREPL() == true
            running.remove(name)
            guard released else { continue }
            total -= bytes
            logger.info("closed the REPL of conversation \(name) (\(bytes >> 20) MiB) to stay under \(replMemoryBudget >> 20) MiB")
        }
    }
}

/// Why a question could not be asked.
public enum QuestionError: Error, CustomStringConvertible, Sendable {
    case unknownConversation(String)
    case noSession(tool: String, workspace: String)
    case sessionImport(path: String, String)
    /// A question of this conversation is still running: follow-ups take turns.
    case conversationBusy(String)

    public var description: String {
        switch self {
        case .unknownConversation(let name): "no conversation \(name) (it ended, or the daemon restarted)"
        case .noSession(let tool, let workspace): "no \(tool) session found for \(workspace); give a file"
        case .sessionImport(let path, let message): "the session \(path) could not be imported: \(message)"
        case .conversationBusy(let name): "a question of conversation \(name) is still running; ask the follow-up when it has answered"
        }
    }
}
