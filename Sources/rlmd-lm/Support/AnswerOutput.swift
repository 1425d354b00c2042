import CLISupport
import Foundation
import RLMEngine

/// How `rlmd ask` and `rlmd summarize-session` print an answer.
enum AnswerOutput {
    struct JSON: Encodable {
        struct Location: Encodable {
            var path: String
            var startLine: Int
            var endLine: Int
            var resolved: Bool
        }

        struct Tokens: Encodable {
            var input, output, cached, calls, iterations, depth: Int
        }

        var answer: String
        var partial: Bool
        var reason: String?
        var stop: String?
        var citations: [Location]
        var usage: Tokens
        var cost_usd: Double
        var trajectory: String
    }

    static func print(_ answer: RLMAnswer, json: Bool) throws {
        if json {
            let usage = answer.usage
            try JSONOutput.print(JSON(
                answer: answer.answer, partial: answer.partial, reason: answer.reason, stop: answer.stopReason?.rawValue,
                citations: answer.citations.map { .init(path: $0.path, startLine: $0.startLine, endLine: $0.endLine, resolved: $0.resolved) },
                usage: .init(input: usage.input, output: usage.output, cached: usage.cached, calls: usage.calls,
                             iterations: usage.iterations, depth: usage.depth),
                cost_usd: usage.costUSD, trajectory: answer.trajectoryID))
            return
        }
        var lines: [String] = []
        if answer.partial { lines.append("(partial answer: \(answer.reason ?? "stopped early"))") }
        lines.append(answer.answer.isEmpty ? "(no answer)" : answer.answer)
        if !answer.citations.isEmpty {
            lines.append("")
            lines.append("Citations:")
            for citation in answer.citations {
                let range = citation.startLine == citation.endLine ? "\(citation.startLine)" : "\(citation.startLine)-\(citation.endLine)"
                lines.append("  \(citation.path):\(range)" + (citation.resolved ? "" : "  (not found in the index)"))
            }
        }
        let usage = answer.usage
        let cost = usage.unpricedCalls > 0 && usage.costUSD == 0 ? "cost unknown" : String(format: "$%.4f", usage.costUSD)
        lines.append("")
        lines.append("\(counted(usage.iterations, "turn")), \(counted(usage.calls, "model call")), \(usage.input) input + \(usage.output) output tokens"
                     + " (\(usage.cached) cached), \(cost) · trajectory \(answer.trajectoryID)")
        Swift.print(lines.joined(separator: "\n"))
    }

    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
