import Foundation
import LMClient

/// How a question is going, after each step: the one value every front end renders (the CLI's
/// progress line, `$/progress` reports, MCP's `notifications/progress`, the bench's progress bar).
public struct QuestionProgress: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case turnStarted
        case subCallStarted
        /// A model call ended (or failed): the totals changed.
        case modelCalled
        /// Something went wrong that does not stop the question (a trajectory that could not be saved).
        case warning(String)
    }

    public var step: Step
    /// The current turn of the run that is talking, and its depth (1 for the root).
    public var turn = 0
    public var depth = 1
    /// Sub-calls started so far, at every depth.
    public var subCalls = 0
    /// Totals of the whole question so far.
    public var usage = RunUsage()
    /// Model calls so far: reports are numbered by it.
    public var calls: Int { usage.calls }

    public init(step: Step) { self.step = step }

    /// `turn 3 (depth 2) · 5 sub-calls · 12.3k tokens · $0.0012`
    public var line: String {
        let depth = depth > 1 ? " (depth \(depth))" : ""
        let cost = usage.costUSD > 0 ? String(format: " · $%.4f", usage.costUSD) : ""
        return "turn \(turn)\(depth) · \(subCalls) sub-calls · \(Self.compact(usage.input + usage.output)) tokens\(cost)"
    }

    static func compact(_ count: Int) -> String {
        count >= 10_000 ? String(format: "%.1fk", Double(count) / 1000) : String(count)
    }

    /// Follows a session's events until its question finishes, calling `report` after each step.
    static func follow(_ events: AsyncStream<RLMEvent>, report: @Sendable (QuestionProgress) async -> Void) async {
        var progress = QuestionProgress(step: .turnStarted)
        for await event in events {
            switch event {
            case .turnStarted(let depth, let iteration):
                (progress.step, progress.depth, progress.turn) = (.turnStarted, depth, iteration)
            case .subCallStarted:
                progress.step = .subCallStarted
                progress.subCalls += 1
            case .usage(let usage):
                (progress.step, progress.usage) = (.modelCalled, usage)
            case .warning(let message):
                progress.step = .warning(message)
            case .finished:
                return
            default:
                continue
            }
            await report(progress)
        }
    }
}
