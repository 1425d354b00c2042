import ContextStore
import Foundation
import LMClient
import REPL
import RLMSupport

/// Questions about one context. The session keeps its REPL (variables survive) and the earlier
/// questions and answers, so follow-ups build on what came before. One question at a time.
public actor RLMSession {
    public nonisolated let events: AsyncStream<RLMEvent>
    private let continuation: AsyncStream<RLMEvent>.Continuation
    private let context: ReplContext
    private let models: RLMModels
    private let options: RLMOptions
    private let store: TrajectoryStore?
    private let router = SubCallRouter()
    private var repl: ReplProcess?
    private var history: [(question: String, answer: String)] = []
    private var busy = false
    /// The variables of a REPL closed to free memory (`releaseREPL`), until the next question says so.
    private var lostVariables: [String]?

    public init(context: ReplContext, models: RLMModels, options: RLMOptions = RLMOptions(), store: TrajectoryStore? = nil) {
        self.context = context
        self.models = models
        self.options = options
        self.store = store
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(4096))
    }

    /// Answers `question`; a later call is a follow-up. `task` adds instructions to the first
    /// message (the session-summary task, for instance).
    public func ask(_ question: String, task: String? = nil) async throws -> RLMAnswer {
        guard !busy else { throw RLMError.busy }
        busy = true
        defer { busy = false }
        var trajectory = Trajectory(id: TrajectoryStore.newID(), question: question, kind: kindName, root: rootName,
                                    createdAt: Date(), model: models.root.name, subModel: models.sub.name, limits: options.limits)
        trajectory.store = context.snapshot?.location.directory
        let started = ContinuousClock.now
        let repl = self.repl ?? ReplProcess(context: context, options: options.repl) { [router] call in try await router.handle(call) }
        self.repl = repl
        if history.isEmpty {
            // The sandbox starts while the root model writes its first reply; the first cell waits for it.
            Task { try? await repl.start() }
        } else {
            await publishHistory(to: repl)
        }

        let ledger = BudgetLedger(limits: options.limits)
        let emit: @Sendable (RLMEvent) -> Void = { [continuation] in continuation.yield($0) }
        let run = RLMRun(depth: 1, context: context, models: models, options: options, ledger: ledger, emit: emit)
        await router.set(run)
        let outcome: RLMRun.Outcome
        do {
            outcome = try await run.run(question: question, repl: repl, extra: [task, historyNote].compactMap { $0 }.joined(separator: "\n\n"))
        } catch {
            await router.set(nil)
            trajectory.usage = await ledger.usage
            trajectory.stopReason = "error: \(error)"
            trajectory.wallMilliseconds = (ContinuousClock.now - started).milliseconds
            save(trajectory)
            throw error
        }
        await router.set(nil)
        trajectory.turns = outcome.turns
        trajectory.usage = await ledger.usage
        trajectory.answer = outcome.answer
        trajectory.partial = outcome.partial
        trajectory.stopReason = outcome.reason
        trajectory.wallMilliseconds = (ContinuousClock.now - started).milliseconds
        if outcome.stopReason == .cancelled {
            save(trajectory)
            throw RLMError.cancelled(trajectoryID: trajectory.id)
        }
        trajectory.citations = Citations.resolve(in: outcome.answer, snapshot: context.snapshot)
        save(trajectory)
        history.append((question, outcome.answer))
        lostVariables = nil
        let answer = RLMAnswer(answer: outcome.answer, partial: outcome.partial, stopReason: outcome.stopReason,
                               reason: outcome.reason, citations: trajectory.citations, usage: trajectory.usage,
                               trajectoryID: trajectory.id)
        continuation.yield(.finished(answer))
        return answer
    }

    /// The root process of this conversation's sandbox (nil: none runs).
    public func replProcessID() async -> pid_t? {
        await repl?.processID()
    }

    /// Closes the REPL between questions to free its memory; the next question starts one and is
    /// told which variables were lost. False when a question is running or no REPL is open.
    public func releaseREPL() async -> Bool {
        guard !busy, let repl else { return false }
        busy = true
        defer { busy = false }
        let shown = (try? await repl.execute("SHOW_VARS()"))?.stdout ?? ""
        lostVariables = shown.split(separator: "\n").compactMap { line in
            line.split(separator: ":").first.map(String.init)
        }.filter { !["history", "Doc", "(no variables)"].contains($0) }
        await repl.close()
        self.repl = nil
        return true
    }

    /// Ends the REPL and the event stream.
    public func close() async {
        await repl?.close()
        repl = nil
        continuation.finish()
    }

    private var kindName: String {
        switch context {
        case .text: "text"
        case .store: context.isSession ? "session" : "repository"
        }
    }

    private var rootName: String {
        switch context {
        case .text(_, let name): name
        case .store(let snapshot): snapshot.root
        }
    }

    private var historyNote: String? {
        guard !history.isEmpty else { return nil }
        let turns = history.enumerated().map { index, entry in
            "Q\(index + 1): \(entry.question)\nA\(index + 1): \(Trajectory.clip(entry.answer))"
        }
        let variables = if let lostVariables {
            "the REPL was closed meanwhile to free memory and started again, so your variables from then are gone"
                + (lostVariables.isEmpty ? "" : " (\(lostVariables.joined(separator: ", ")))")
        } else {
            "your variables from then are still defined"
        }
        return "Earlier in this conversation (also in the REPL variable `history`, a list of {question, answer}; "
            + variables + "):\n" + turns.joined(separator: "\n\n")
    }

    /// Sets `history` in the REPL: a list of {"question", "answer"} dicts.
    private func publishHistory(to repl: ReplProcess) async {
        let entries = history.map { ["question": $0.question, "answer": $0.answer] }
        guard let data = try? JSONSerialization.data(withJSONObject: entries) else { return }
        let code = "import base64 as _b, json as _j\nhistory = _j.loads(_b.b64decode('\(data.base64EncodedString())'))\ndel _b, _j"
        _ = try? await repl.execute(code)
    }

    private func save(_ trajectory: Trajectory) {
        guard let store else { return }
        do {
            try store.save(trajectory)
        } catch {
            // Losing the record must not lose the answer: report it and go on.
            continuation.yield(.warning("could not save trajectory \(trajectory.id): \(error)"))
        }
    }
}

/// Hands the REPL's sub-calls to whichever run is answering now.
actor SubCallRouter {
    private var run: RLMRun?

    func set(_ run: RLMRun?) { self.run = run }

    func handle(_ call: SubCall) async throws -> String {
        guard let run else { throw EngineMessage("no question is running") }
        return try await run.handle(call)
    }
}
