import Foundation
import LMClient
import RLMSupport

/// Limits shared by a whole question: the root run and every child `rlm_query` starts.
public struct BudgetLimits: Sendable, Equatable, Codable {
    /// Turns (root-model calls) across the tree.
    public var maxIterations = 30
    /// Language-model calls of every kind across the tree (guards against runaway sub-calls).
    public var maxCalls = 300
    /// Input + output tokens across the tree.
    public var maxTokens: Int?
    public var maxUSD: Double?
    public var maxWallSeconds: Double = 900
    /// Failed model calls or REPL crashes in a row.
    public var maxConsecutiveErrors = 3

    public init() {}
}

/// Why a question stopped before a `FINAL`.
public enum StopReason: String, Sendable, Codable, Equatable {
    case iterations, calls, tokens, usd, wallTime = "wall_time", errors, cancelled

    public var explanation: String {
        switch self {
        case .iterations: "the turn limit was reached"
        case .calls: "the limit on model calls was reached"
        case .tokens: "the token budget was spent"
        case .usd: "the cost budget was spent"
        case .wallTime: "the time limit was reached"
        case .errors: "too many errors in a row"
        case .cancelled: "the question was cancelled"
        }
    }
}

/// Tokens, calls and cost of a question so far.
public struct RunUsage: Sendable, Equatable, Codable {
    public var input = 0
    public var output = 0
    public var cached = 0
    public var calls = 0
    public var iterations = 0
    /// The deepest run reached (1: the root only; 0 before the first turn).
    public var depth = 0
    public var costUSD = 0.0
    /// Calls whose price was unknown, so `costUSD` undercounts.
    public var unpricedCalls = 0

    public init() {}
}

/// The running totals of one question, checked before every model call.
actor BudgetLedger {
    let limits: BudgetLimits
    /// When the question started: turns and sub-calls record their start from here.
    nonisolated let started = ContinuousClock.now
    private(set) var usage = RunUsage()
    private var consecutiveErrors = 0

    init(limits: BudgetLimits) {
        self.limits = limits
    }

    /// The first limit reached, if any.
    func exhausted() -> StopReason? {
        if usage.iterations >= limits.maxIterations { return .iterations }
        if usage.calls >= limits.maxCalls { return .calls }
        if let maxTokens = limits.maxTokens, usage.input + usage.output >= maxTokens { return .tokens }
        if let maxUSD = limits.maxUSD, usage.costUSD >= maxUSD { return .usd }
        if (ContinuousClock.now - started) >= .milliseconds(Int(limits.maxWallSeconds * 1000)) { return .wallTime }
        if consecutiveErrors >= limits.maxConsecutiveErrors { return .errors }
        return nil
    }

    nonisolated var elapsedMilliseconds: Double { (ContinuousClock.now - started).milliseconds }

    /// When the wall-time budget ends: every model call of the tree is given it, so no attempt,
    /// retry or backoff outlasts it.
    nonisolated var deadline: ContinuousClock.Instant { started + .milliseconds(Int(limits.maxWallSeconds * 1000)) }

    /// The last "answer now" call may run a little past the budget (a tenth of it, 5 to 60 s),
    /// so a question that ran out of time can still get a partial answer. The grace counts from
    /// the deadline, or from now when something (a sandbox slow to start) already overran it.
    nonisolated var answerNowDeadline: ContinuousClock.Instant {
        max(deadline, .now) + .milliseconds(Int(min(60, max(5, limits.maxWallSeconds / 10)) * 1000))
    }

    func beginIteration(depth: Int) {
        usage.iterations += 1
        usage.depth = max(usage.depth, depth)
    }

    /// Takes one call from the budget, or says which limit is reached. Checking and counting in
    /// one step keeps a batch of concurrent sub-calls from all passing the same check.
    func reserveCall() -> StopReason? {
        if let reason = exhausted() { return reason }
        usage.calls += 1
        return nil
    }

    /// Counts a call made past the budget (the last "answer now").
    func countExtraCall() { usage.calls += 1 }

    /// Tokens and cost of a reserved call that succeeded.
    func record(_ completion: Completion) {
        usage.input += completion.usage.input
        usage.output += completion.usage.output
        usage.cached += completion.usage.cachedInput
        if let cost = completion.costUSD { usage.costUSD += cost } else if !completion.fromCache { usage.unpricedCalls += 1 }
        consecutiveErrors = 0
    }

    func recordError() { consecutiveErrors += 1 }

    func recordSuccess() { consecutiveErrors = 0 }

    func describe(_ reason: StopReason) -> String {
        switch reason {
        case .iterations: "\(reason.explanation) (\(limits.maxIterations) turn\(limits.maxIterations == 1 ? "" : "s"))"
        case .calls: "\(reason.explanation) (\(limits.maxCalls) call\(limits.maxCalls == 1 ? "" : "s"))"
        case .tokens: "\(reason.explanation) (\(limits.maxTokens ?? 0) tokens)"
        case .usd: "\(reason.explanation) ($\(String(format: "%.2f", limits.maxUSD ?? 0)))"
        case .wallTime: "\(reason.explanation) (\(Int(limits.maxWallSeconds)) s)"
        case .errors: "\(reason.explanation) (\(limits.maxConsecutiveErrors))"
        case .cancelled: reason.explanation
        }
    }
}
