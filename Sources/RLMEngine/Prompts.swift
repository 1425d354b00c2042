import Foundation

/// The prompts, resource files we write ourselves, with `{{name}}` placeholders.
enum Prompts {
    static func load(_ name: String, _ values: [String: String] = [:]) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "md"),
              var text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func system(session: Bool, maxIterations: Int, depth: Int, maxDepth: Int, subCalls: Bool = true) -> String {
        let depthNote = depth < maxDepth
            ? "rlm_query starts a recursive helper (depth \(depth + 1) of \(maxDepth))."
            : "rlm_query is a plain helper call here (maximum depth reached)."
        let prompt = load(session ? "system_session" : "system_repository",
                          ["max_iterations": String(maxIterations), "depth_note": depthNote])
        return subCalls ? prompt : prompt + "\n\n" + subCallsDisabled
    }

    static let subCallsDisabled = "In this run llm_query, llm_query_batched and rlm_query are disabled: they only return an error. Work with code alone."


    static let noCodeReminder = """
        Your reply had no ```repl block, so nothing ran. Write one code block fenced as ```repl; \
        finish by calling FINAL(answer) inside it. Text outside code blocks is never taken as the answer.
        """
}
