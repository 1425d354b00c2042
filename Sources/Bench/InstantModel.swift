import Foundation
import LMClient

/// A model in this process that answers at once, for measuring rlmd's own overhead (`rlmd bench perf`):
/// the root model writes the program a perf question names (`perf: N turns, B sub-calls`), sub-calls
/// get a short reply. Its token counts are estimates; it costs nothing.
public struct InstantModel: LanguageModel {
    public static let root = "instant-root", sub = "instant-sub"

    public init() {}

    /// The question that makes the root model spend `turns` turns (the last calls FINAL), the first of
    /// them with one batch of `subCalls` sub-calls.
    public static func question(turns: Int, subCalls: Int) -> String { "perf: \(turns) turns, \(subCalls) sub-calls" }

    public func complete(_ request: CompletionRequest) async throws(LMError) -> Completion {
        let prompt = request.estimatedPromptTokens
        guard request.model == Self.root else {
            return Completion(text: "ok", model: request.model, usage: Usage(input: prompt, output: 1))
        }
        let question = request.messages.first { $0.role == .user }?.content ?? ""
        let numbers = Self.numbers(after: "perf:", in: question)
        let turns = max(1, numbers.first ?? 1), subCalls = numbers.count > 1 ? numbers[1] : 0
        let turn = request.messages.filter { $0.role == .assistant }.count + 1
        let code: String
        if turn >= turns {
            code = "FINAL('done')"
        } else if turn == 1, subCalls > 0 {
            code = "replies = llm_query_batched(['say ok'] * \(subCalls))\nprint(len(replies))"
        } else {
            code = "print(len(context))"
        }
        return Completion(text: "```repl\n\(code)\n```", model: request.model, usage: Usage(input: prompt, output: 12), finishReason: "stop")
    }

    static func numbers(after marker: String, in text: String) -> [Int] {
        guard let range = text.range(of: marker) else { return [] }
        return text[range.upperBound...].prefix(80).split { !$0.isNumber }.compactMap { Int($0) }
    }
}
