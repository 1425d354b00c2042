import RLMEngine
import RLMProtocol

/// Engine types to wire types, by hand: the only place both meet.
enum Conversions {
    static func answer(_ answer: RLMAnswer, conversation: String) -> Answer {
        let usage = answer.usage
        return Answer(
            answer: answer.answer, partial: answer.partial, reason: answer.reason, stop: answer.stopReason?.rawValue,
            citations: answer.citations.map {
                CitedLocation(path: $0.path, startLine: $0.startLine, endLine: $0.endLine, resolved: $0.resolved, excerpt: $0.excerpt)
            },
            usage: AnswerUsage(input: usage.input, output: usage.output, cached: usage.cached, calls: usage.calls,
                               iterations: usage.iterations, depth: usage.depth),
            costUsd: usage.costUSD, trajectory: answer.trajectoryID, conversation: conversation)
    }

    static func options(sandbox: SandboxOptions?, budgets: Budgets?, question: QuestionOptions?) -> RLMOptions {
        var options = RLMOptions()
        if let sandbox {
            if let value = sandbox.exactText { options.repl.exactText = value }
            if let value = sandbox.memoryMb { options.repl.limits.treeMemoryBytes = max(0, value) << 20 }
        }
        if let budgets {
            if let value = budgets.maxIterations { options.limits.maxIterations = value }
            if let value = budgets.maxCalls { options.limits.maxCalls = value }
            if let value = budgets.maxUsd { options.limits.maxUSD = value }
            if let value = budgets.maxTokens { options.limits.maxTokens = value }
            if let value = budgets.maxSeconds { options.limits.maxWallSeconds = value }
            if let value = budgets.maxDepth { options.maxDepth = value }
        }
        if let question {
            if let value = question.maxIterations { options.limits.maxIterations = value }
            if let value = question.maxUsd { options.limits.maxUSD = value }
            if let value = question.maxDepth { options.maxDepth = value }
        }
        return options
    }

    /// A question's `report`: the line and the same facts as fields.
    static func report(_ progress: QuestionProgress) -> Progress.WorkDone {
        var value = Progress.WorkDone(kind: .report, message: progress.line)
        value.turn = progress.turn
        value.subCalls = progress.subCalls
        value.tokens = progress.usage.input + progress.usage.output
        value.costUsd = progress.usage.costUSD
        return value
    }

    /// The `end` of a question that returned an answer (complete, or partial when a budget ran out).
    static func end(_ answer: RLMAnswer, conversation: String) -> Progress.WorkDone {
        var value = Progress.WorkDone(kind: .end, message: answer.partial ? "partial: \(answer.reason ?? "stopped early")" : "answered")
        value.trajectory = answer.trajectoryID
        value.conversation = conversation
        value.partial = answer.partial
        if answer.partial { value.reason = answer.stopReason.map(endReason) ?? .error }
        return value
    }

    /// The `end` of a question that threw: cancelled (its partial trajectory named) or failed.
    static func end(_ error: Error, cancelled: Bool, conversation: String) -> Progress.WorkDone {
        var value = Progress.WorkDone(kind: .end)
        value.conversation = conversation
        value.partial = true
        if case RLMError.cancelled(let trajectory) = error {
            value.trajectory = trajectory
            value.reason = .cancelled
        } else {
            value.reason = cancelled || error is CancellationError ? .cancelled : .error
        }
        value.message = value.reason == .cancelled ? "cancelled" : "stopped: \(DaemonError.response(for: error).message)"
        return value
    }

    static func endReason(_ stop: StopReason) -> Progress.EndReason {
        switch stop {
        case .iterations, .calls, .tokens, .usd, .wallTime: .budget
        case .errors: .error
        case .cancelled: .cancelled
        }
    }
}
