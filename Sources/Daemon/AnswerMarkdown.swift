import Foundation
import RLMEngine
import RLMProtocol

/// An answer as a Markdown document (for clients that show files, not results) or as a short message.
enum AnswerMarkdown {
    static func render(_ answer: Answer, question: String, root: String?) -> String {
        var lines = ["# \(question.split(separator: "\n").first.map(String.init) ?? "Answer")", ""]
        if answer.partial { lines += ["> **Partial answer:** \(answer.reason ?? "stopped early")", ""] }
        lines += [answer.answer.isEmpty ? "_(no answer)_" : answer.answer, ""]
        if !answer.citations.isEmpty {
            lines += ["## Citations", ""]
            for citation in answer.citations { lines.append("- " + item(citation, root: root)) }
            lines.append("")
        }
        lines += ["---", footer(answer)]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The answer's first 400 characters and the footer, for `window/showMessage`.
    static func head(_ answer: Answer) -> String {
        let text = answer.answer.count > 400 ? answer.answer.prefix(400) + "…" : Substring(answer.answer)
        return (answer.partial ? "(partial: \(answer.reason ?? "stopped early")) " : "") + text + "\n\n" + footer(answer)
    }

    /// Writes `answers/<trajectory>.md` in rlmd's state folder and returns its path.
    static func write(_ markdown: String, trajectory: String, environment: [String: String]) throws -> String {
        let folder = (TrajectoryStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/answers"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(trajectory).md"
        try Data(markdown.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    private static func item(_ citation: CitedLocation, root: String?) -> String {
        let lines = citation.startLine == citation.endLine ? "\(citation.startLine)" : "\(citation.startLine)-\(citation.endLine)"
        let label = "\(citation.path):\(lines)"
        guard citation.resolved else { return "`\(label)` (not found in the index)" }
        var item = "`\(label)`"
        if let root, !citation.path.hasPrefix("#"), !citation.path.contains("#") {
            let file = URL(fileURLWithPath: root).appendingPathComponent(citation.path)
            item = "[\(label)](\(file.absoluteString)#L\(citation.startLine))"
        }
        if let excerpt = citation.excerpt?.split(separator: "\n").first, !excerpt.isEmpty {
            item += " — `\(excerpt.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "'"))`"
        }
        return item
    }

    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    private static func footer(_ answer: Answer) -> String {
        let usage = answer.usage
        return "\(counted(usage.iterations, "turn")) · \(counted(usage.calls, "model call")) · \(usage.input) input + \(usage.output) output tokens · "
            + String(format: "$%.4f", answer.costUsd) + " · trajectory \(answer.trajectory) · conversation \(answer.conversation)"
    }
}
