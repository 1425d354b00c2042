import ContextStore
import Foundation
import LMClient
import REPL
import RLMSupport

/// One RLM at one depth answering one question: the root model's turns, the cells they run and the
/// sub-calls those cells make. Child RLMs (`rlm_query`) are runs of their own, sharing the ledger.
actor RLMRun {
    struct Outcome {
        var answer: String
        var partial: Bool
        var stopReason: StopReason?
        var reason: String?
        var turns: [Trajectory.Turn]
    }

    let depth: Int
    private let context: ReplContext
    private let models: RLMModels
    private let options: RLMOptions
    private let ledger: BudgetLedger
    private let emit: @Sendable (RLMEvent) -> Void
    private var turns: [Trajectory.Turn] = []
    private var lastError: String?
    /// The start of the turn still open (its duration is written when the next one starts or the run ends).
    private var openTurnStarted: ContinuousClock.Instant?
    /// The index (in the current turn's cells) of the cell running now: its sub-calls are filed under it.
    private var runningCell: Int?

    init(depth: Int, context: ReplContext, models: RLMModels, options: RLMOptions, ledger: BudgetLedger,
         emit: @escaping @Sendable (RLMEvent) -> Void) {
        self.depth = depth
        self.context = context
        self.models = models
        self.options = options
        self.ledger = ledger
        self.emit = emit
    }

    /// Runs the loop until FINAL, a budget, or cancellation. `extra` goes into the first user
    /// message (earlier questions and answers of a follow-up, a task description).
    func run(question: String, repl: ReplProcess, extra: String? = nil) async throws -> Outcome {
        let model = models.rootModel(depth: depth)
        var messages: [ChatMessage] = [
            .system(Prompts.system(session: context.isSession, maxIterations: options.limits.maxIterations, depth: depth,
                                   maxDepth: options.maxDepth, subCalls: options.allowSubCalls)),
            .user([ContextSummary.describe(context, exactText: options.repl.exactText), extra, "Question: \(question)"].compactMap { $0 }.joined(separator: "\n\n")),
        ]
        var reminded = false
        while true {
            closeTurn()
            if Task.isCancelled { return outcome(answer: "", stop: .cancelled) }
            if let reason = await ledger.reserveCall() { return await answerNow(messages: messages, model: model, reason: reason) }
            await ledger.beginIteration(depth: depth)
            let iteration = turns.count + 1
            emit(.turnStarted(depth: depth, iteration: iteration))
            openTurn(Trajectory.Turn(depth: depth, iteration: iteration, reply: ""))
            let completion: Completion
            let callStarted = ContinuousClock.now
            do {
                defer { turns[turns.count - 1].modelMilliseconds = (ContinuousClock.now - callStarted).milliseconds }
                completion = try await model.client.complete(CompletionRequest(
                    model: model.name, messages: messages, maxTokens: options.maxReplyTokens, temperature: options.temperature,
                    stop: options.stopSequences(model: model.name), cachePrefix: true, deadline: ledger.deadline))
            } catch {
                if case .cancelled = error { return outcome(answer: "", stop: .cancelled) }
                await ledger.recordError()
                lastError = error.description
                turns[turns.count - 1].error = error.description
                emit(.usage(await ledger.usage))
                continue
            }
            await ledger.record(completion)
            turns[turns.count - 1].reply = Trajectory.clip(completion.text)
            turns[turns.count - 1].usage = completion.usage
            turns[turns.count - 1].costUSD = completion.costUSD
            emit(.modelReplied(depth: depth, text: completion.text, usage: completion.usage, costUSD: completion.costUSD))
            emit(.usage(await ledger.usage))

            let blocks = CodeBlocks.extract(completion.text)
            messages.append(.assistant(Self.closingOpenFence(completion.text)))
            if blocks.isEmpty {
                messages.append(.user(reminded ? "Still no ```repl block. " + Prompts.noCodeReminder : Prompts.noCodeReminder))
                reminded = true
                continue
            }
            var outputs: [String] = []
            for block in blocks {
                if Task.isCancelled { return outcome(answer: "", stop: .cancelled) }
                emit(.code(depth: depth, code: block))
                let result: CellResult
                runningCell = turns[turns.count - 1].cells.count
                do {
                    defer { runningCell = nil }
                    result = try await repl.execute(block)
                } catch {
                    throw RLMError.repl("\(error)")
                }
                emit(.output(depth: depth, result: result))
                turns[turns.count - 1].cells.append(Trajectory.Cell(code: block, result: result))
                if result.stateLost { await ledger.recordError() } else { await ledger.recordSuccess() }
                if let final = result.final { return outcome(answer: final, stop: nil) }
                outputs.append(Self.describe(result))
                if result.stateLost || result.timedOut { break }
            }
            if Task.isCancelled { return outcome(answer: "", stop: .cancelled) }
            messages.append(.user(outputs.joined(separator: "\n\n")
                                  + "\n\nTurn \(iteration) of at most \(options.limits.maxIterations) is done. Continue."))
        }
    }

    /// The last call once a budget is spent: the model answers in prose from what it has.
    private func answerNow(messages: [ChatMessage], model: ModelChoice, reason: StopReason) async -> Outcome {
        var why = await ledger.describe(reason)
        if reason == .errors, let lastError { why += ": \(lastError)" }
        emit(.turnStarted(depth: depth, iteration: turns.count + 1))
        var turn = Trajectory.Turn(depth: depth, iteration: turns.count + 1, reply: "")
        turn.answerNow = true
        turn.startedMs = ledger.elapsedMilliseconds
        let prompt = messages + [.user(Prompts.load("answer_now", ["reason": why]))]
        var answer = ""
        await ledger.countExtraCall()
        let started = ContinuousClock.now
        do {
            let completion = try await model.client.complete(CompletionRequest(
                model: model.name, messages: prompt, maxTokens: options.maxReplyTokens, temperature: options.temperature,
                deadline: ledger.answerNowDeadline))
            await ledger.record(completion)
            turn.reply = Trajectory.clip(completion.text)
            turn.usage = completion.usage
            turn.costUSD = completion.costUSD
            answer = Self.proseOnly(completion.text)
            emit(.modelReplied(depth: depth, text: completion.text, usage: completion.usage, costUSD: completion.costUSD))
            emit(.usage(await ledger.usage))
        } catch {
            await ledger.recordError()
            turn.error = error.description
            if reason != .errors { why += "; the last call failed too: \(error.description)" }
        }
        turn.modelMilliseconds = (ContinuousClock.now - started).milliseconds
        turn.milliseconds = turn.modelMilliseconds
        turns.append(turn)
        return outcome(answer: answer, stop: reason, why: why)
    }

    private func outcome(answer: String, stop: StopReason?, why: String? = nil) -> Outcome {
        closeTurn()
        return Outcome(answer: answer, partial: stop != nil, stopReason: stop, reason: why ?? stop?.explanation, turns: turns)
    }

    private func openTurn(_ turn: Trajectory.Turn) {
        var turn = turn
        turn.startedMs = ledger.elapsedMilliseconds
        turns.append(turn)
        openTurnStarted = .now
    }

    private func closeTurn() {
        guard let started = openTurnStarted, !turns.isEmpty else { return }
        turns[turns.count - 1].milliseconds = (ContinuousClock.now - started).milliseconds
        openTurnStarted = nil
    }

    // MARK: Sub-calls from the REPL

    func handle(_ call: SubCall) async throws -> String {
        guard options.allowSubCalls else { throw EngineMessage(Prompts.subCallsDisabled) }
        switch call {
        case .llmQuery(let prompt, let model, let batch):
            return try await plainCall(prompt: prompt, model: model, kind: call.kind, batch: batch)
        case .rlmQuery(let prompt, let text):
            guard depth < options.maxDepth else { return try await plainCall(prompt: prompt, model: nil, kind: call.kind) }
            return try await child(prompt: prompt, text: text)
        }
    }

    private func plainCall(prompt: String, model: String?, kind: ReplRequestKind, batch: BatchPosition? = nil) async throws -> String {
        if let reason = await ledger.reserveCall() { throw EngineMessage("budget exhausted: \(await ledger.describe(reason))") }
        let sub = models.sub
        let name = model ?? sub.name
        emit(.subCallStarted(depth: depth, kind: kind.rawValue, prompt: String(prompt.prefix(200))))
        let started = ContinuousClock.now
        var record = newRecord(kind: kind, model: name, prompt: prompt)
        record.batch = batch
        let turn = turns.count - 1
        do {
            let completion = try await sub.client.complete(CompletionRequest(
                model: name, messages: [.user(prompt)], maxTokens: options.subCallMaxTokens, temperature: options.temperature,
                deadline: ledger.deadline))
            await ledger.record(completion)
            record.response = Trajectory.clip(completion.text)
            record.usage = completion.usage
            record.costUSD = completion.costUSD
            record.milliseconds = (ContinuousClock.now - started).milliseconds
            appendSubCall(record, turn: turn)
            emit(.subCallFinished(depth: depth, kind: kind.rawValue, usage: completion.usage, error: nil))
            emit(.usage(await ledger.usage))
            return completion.text
        } catch {
            await ledger.recordError()
            record.error = error.description
            record.milliseconds = (ContinuousClock.now - started).milliseconds
            appendSubCall(record, turn: turn)
            emit(.subCallFinished(depth: depth, kind: kind.rawValue, usage: nil, error: error.description))
            throw EngineMessage(error.description)
        }
    }

    private func child(prompt: String, text: String?) async throws -> String {
        if let reason = await ledger.exhausted() { throw EngineMessage("budget exhausted: \(await ledger.describe(reason))") }
        emit(.subCallStarted(depth: depth, kind: ReplRequestKind.rlmQuery.rawValue, prompt: String(prompt.prefix(200))))
        let started = ContinuousClock.now
        let childContext: ReplContext = text.map { .text($0, name: "context") } ?? context
        let run = RLMRun(depth: depth + 1, context: childContext, models: models, options: options, ledger: ledger, emit: emit)
        let repl = ReplProcess(context: childContext, options: options.repl) { [weak run] call in
            guard let run else { throw EngineMessage("the child RLM has ended") }
            return try await run.handle(call)
        }
        var record = newRecord(kind: .rlmQuery, model: models.rootModel(depth: depth + 1).name, prompt: prompt)
        let turn = turns.count - 1
        defer { Task { await repl.close() } }
        do {
            let outcome = try await run.run(question: prompt, repl: repl)
            record.response = Trajectory.clip(outcome.answer)
            record.child = outcome.turns
            record.milliseconds = (ContinuousClock.now - started).milliseconds
            if outcome.partial { record.error = "partial: \(outcome.reason ?? "")" }
            appendSubCall(record, turn: turn)
            emit(.subCallFinished(depth: depth, kind: ReplRequestKind.rlmQuery.rawValue, usage: nil, error: record.error))
            return outcome.partial ? "[partial answer: \(outcome.reason ?? "")] \(outcome.answer)" : outcome.answer
        } catch {
            record.error = "\(error)"
            record.milliseconds = (ContinuousClock.now - started).milliseconds
            appendSubCall(record, turn: turn)
            emit(.subCallFinished(depth: depth, kind: ReplRequestKind.rlmQuery.rawValue, usage: nil, error: record.error))
            throw EngineMessage("\(error)")
        }
    }

    /// A record of a sub-call starting now, filed under the running cell.
    private func newRecord(kind: ReplRequestKind, model: String, prompt: String) -> Trajectory.SubCallRecord {
        var record = Trajectory.SubCallRecord(kind: kind.rawValue, model: model, prompt: Trajectory.clip(prompt), milliseconds: 0)
        record.cell = runningCell
        record.startedMs = ledger.elapsedMilliseconds
        return record
    }

    /// Files a finished sub-call under the turn that was running when it started (a call that
    /// outlives its cell, after a timeout, still belongs there).
    private func appendSubCall(_ record: Trajectory.SubCallRecord, turn: Int) {
        if turns.isEmpty { turns.append(Trajectory.Turn(depth: depth, iteration: 0, reply: "")) }
        turns[turn >= 0 && turn < turns.count ? turn : turns.count - 1].subCalls.append(record)
    }

    // MARK: Text

    /// What the model sees of a cell.
    static func describe(_ result: CellResult) -> String {
        var parts: [String] = []
        let out = result.stdout.isEmpty ? "(no output)" : result.stdout
        parts.append("Output:\n```\n\(out.hasSuffix("\n") ? String(out.dropLast()) : out)\n```")
        if !result.stderr.isEmpty { parts.append("stderr:\n```\n\(result.stderr)\n```") }
        if let error = result.error { parts.append("Error:\n```\n\(error)\n```") }
        if result.stateLost { parts.append("Note: the REPL was restarted; variables from earlier blocks are gone.") }
        return parts.joined(separator: "\n")
    }

    /// A reply cut by the stop sequence ends inside its code block; close the fence for the transcript.
    static func closingOpenFence(_ reply: String) -> String {
        let fences = reply.components(separatedBy: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }.count
        return fences % 2 == 1 ? reply + (reply.hasSuffix("\n") ? "" : "\n") + "```" : reply
    }

    /// A prose answer without any code blocks the model may have added.
    static func proseOnly(_ reply: String) -> String {
        var kept: [Substring] = []
        var inFence = false
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if !inFence { kept.append(line) }
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An error whose text reaches model code (as a sub-call's "Error: ..." string).
struct EngineMessage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
