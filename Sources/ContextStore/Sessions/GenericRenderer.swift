import Foundation

/// OpenAI-style messages `{role, content, tool_calls?, name?}`, one per JSONL line or inside a
/// `{"messages": [...]}` file.
struct GenericRenderer: SessionRecordRenderer {
    func messages(from record: RecordJSON, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage] {
        guard record.isObject, let role = record["role"]?.string else {
            stats.unknown(record.isObject ? "(no role)" : "(not an object)")
            return [SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)]
        }
        var parts: [String] = []
        if let content = record["content"], content != .null { parts.append(content.contentText) }
        var toolName: String?
        for call in record["tool_calls"]?.array ?? [] {
            let name = call["function"]?["name"]?.string ?? call["name"]?.string ?? "?"
            toolName = toolName ?? name
            var text = "[tool call: \(name)]"
            if let arguments = call["function"]?["arguments"] {
                ToolText.appendArguments(arguments, to: &text)
            }
            parts.append(text)
        }
        let isTool = role == "tool" || role == "function"
        var message = SessionMessage(role: isTool ? "tool" : role, kind: isTool ? "tool_output" : "message",
                                     text: parts.joined(separator: "\n"), sourceLine: line)
        message.toolName = toolName ?? (isTool ? record["name"]?.string : nil)
        message.timestamp = record["timestamp"]?.string
        return [message]
    }
}

/// Aider's `.aider.chat.history.md`: `# aider chat started at <time>`, user lines `#### ...`,
/// tool output `> ...`, and the assistant's replies as plain text between them. A fenced block in a
/// reply is the reply's, whatever its lines start with: a SEARCH/REPLACE edit ends in `>>>>>>> REPLACE`.
enum AiderParser {
    static func messages(_ text: String, stats: inout ImportStats) -> [SessionMessage] {
        var messages: [SessionMessage] = []
        var role: String?
        var lines: [Substring] = []
        var firstLine = 0
        var timestamp: String?
        var fence: Fence?

        func flush() {
            defer { lines.removeAll(); role = nil }
            guard let current = role else { return }
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
            guard !lines.isEmpty else { return }
            messages.append(SessionMessage(role: current, kind: current == "tool" ? "tool_output" : "message",
                                           text: lines.joined(separator: "\n"), timestamp: timestamp, sourceLine: firstLine))
        }

        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // "\r\n" is one Character in Swift, so files saved with CRLF split on it too.
        for (offset, line) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = offset + 1
            let isSessionStart = line.hasPrefix("# aider chat started at ")
            if let open = fence, !isSessionStart {
                lines.append(line)
                if open.isClosed(by: line) { fence = nil }
                continue
            }
            fence = nil
            let kind: String
            var content = line
            if isSessionStart {
                flush()
                timestamp = String(line.dropFirst("# aider chat started at ".count)).trimmingCharacters(in: .whitespaces)
                messages.append(SessionMessage(role: "system", kind: "record", text: String(line.dropFirst(2)),
                                               timestamp: timestamp, sourceLine: number))
                continue
            } else if line.hasPrefix("####") {
                kind = "user"
                content = line.dropFirst(4).drop { $0 == " " }
            } else if line.hasPrefix(">") {
                kind = "tool"
                content = line.dropFirst().drop { $0 == " " }
            } else if line.allSatisfy(\.isWhitespace) && role != nil {
                lines.append(line)  // blank lines stay inside the current block
                continue
            } else {
                kind = "assistant"
                fence = Fence(opening: line)
            }
            if kind != role {
                flush()
                role = kind
                firstLine = number
            }
            lines.append(content)
        }
        flush()
        return messages
    }

    /// A Markdown code fence: three or more backticks or tildes, indented at most three spaces.
    private struct Fence {
        var marker: Character
        var length: Int

        init?(opening line: Substring) {
            let rest = line.drop { $0 == " " }
            guard line.count - rest.count <= 3, let first = rest.first, first == "`" || first == "~" else { return nil }
            length = rest.prefix { $0 == first }.count
            marker = first
            guard length >= 3, first == "~" || !rest.dropFirst(length).contains("`") else { return nil }
        }

        func isClosed(by line: Substring) -> Bool {
            let rest = line.drop { $0 == " " }
            guard line.count - rest.count <= 3 else { return false }
            let run = rest.prefix { $0 == marker }.count
            return run >= length && rest.dropFirst(run).allSatisfy(\.isWhitespace)
        }
    }
}
