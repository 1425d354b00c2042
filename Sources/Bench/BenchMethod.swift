/// How a task is answered: the RLM, the RLM without sub-calls, or the model alone.
public enum BenchMethod: String, Sendable, Codable, CaseIterable {
    /// The full RLM: REPL, `llm_query`, `llm_query_batched`, `rlm_query`.
    case rlm
    /// The same loop with every sub-call disabled: what the REPL alone is worth.
    case rlmNoSubCalls = "rlm-no-sub"
    /// One call to the root model with the context cut to its window (the baseline of the papers).
    case direct

    public static func parse(_ list: String) -> [BenchMethod]? {
        let methods = list.split(separator: ",").map { BenchMethod(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        guard !methods.isEmpty, !methods.contains(nil) else { return nil }
        return methods.compactMap { $0 }
    }
}
