import LMClient
import REPL

/// One step of a question, as it happens. `depth` is 1 for the root run, 2 for a child of
/// `rlm_query`, and so on.
public enum RLMEvent: Sendable {
    case turnStarted(depth: Int, iteration: Int)
    case modelReplied(depth: Int, text: String, usage: Usage, costUSD: Double?)
    case code(depth: Int, code: String)
    case output(depth: Int, result: CellResult)
    case subCallStarted(depth: Int, kind: String, prompt: String)
    case subCallFinished(depth: Int, kind: String, usage: Usage?, error: String?)
    /// Totals of the whole question after each model call.
    case usage(RunUsage)
    case finished(RLMAnswer)
    /// Something went wrong that does not stop the question (a trajectory that could not be saved).
    case warning(String)
}
