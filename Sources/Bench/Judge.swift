import Foundation
import LMClient

/// Grades a repository-QA answer against its reference with a model and a written rubric
/// (`Resources/judge_rubric.md`): correctness, completeness and citations, 0-2 each.
public struct Judge: Sendable {
    public var model: String
    public var client: any LanguageModel

    public init(model: String, client: any LanguageModel) {
        self.model = model
        self.client = client
    }

    public struct Verdict: Sendable, Codable, Equatable {
        public var model: String
        public var correctness: Int
        public var completeness: Int
        public var citations: Int
        public var verdict: String
        public var costUsd: Double
        /// The mean of the three criteria, scaled to 0...1.
        public var score: Double { Double(correctness + completeness + citations) / 6 }
    }

    static let rubric: String = {
        guard let url = Bundle.module.url(forResource: "judge_rubric", withExtension: "md"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    public static func prompt(question: String, reference: String, files: [String], answer: String) -> String {
        rubric.replacingOccurrences(of: "{{question}}", with: question).replacingOccurrences(of: "{{reference}}", with: reference)
            .replacingOccurrences(of: "{{files}}", with: files.isEmpty ? "(none)" : files.joined(separator: "\n"))
            .replacingOccurrences(of: "{{answer}}", with: answer.isEmpty ? "(no answer)" : answer)
    }

    public func grade(question: String, reference: String, files: [String], answer: String) async throws -> Verdict {
        let completion = try await client.complete(CompletionRequest(
            model: model, messages: [.user(Self.prompt(question: question, reference: reference, files: files, answer: answer))],
            maxTokens: 400, temperature: 0))
        guard var verdict = Self.parse(completion.text, model: model) else {
            throw BenchError.results("the judge's reply is not the JSON the rubric asks for: \(completion.text.prefix(200))")
        }
        verdict.costUsd = completion.costUSD ?? 0
        return verdict
    }

    /// The first `{…}` of the reply, with each criterion clamped to 0...2.
    static func parse(_ reply: String, model: String) -> Verdict? {
        guard let open = reply.firstIndex(of: "{"), let close = reply.lastIndex(of: "}"), open < close,
              let object = try? JSONSerialization.jsonObject(with: Data(reply[open...close].utf8)) as? [String: Any] else { return nil }
        func criterion(_ key: String) -> Int? {
            (object[key] as? NSNumber).map { min(2, max(0, Int($0.doubleValue.rounded()))) }
        }
        guard let correctness = criterion("correctness"), let completeness = criterion("completeness"), let citations = criterion("citations")
        else { return nil }
        return Verdict(model: model, correctness: correctness, completeness: completeness, citations: citations,
                       verdict: object["verdict"] as? String ?? "", costUsd: 0)
    }
}
