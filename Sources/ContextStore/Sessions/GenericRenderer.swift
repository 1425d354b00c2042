/// OpenAI-style messages `{role, content, tool_calls?, name?}`, one per JSONL line or inside a
/// `{"messages": [...]}` file.
struct GenericRenderer: SessionRecordRenderer {
    func messages(from record: JSONValue, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage] {
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
            let arguments = call["function"]?["arguments"]?.string ?? call["function"]?["arguments"]?.compactText ?? ""
            parts.append("[tool call: \(name)] \(arguments)")
        }
        let isTool = role == "tool" || role == "function"
        var message = SessionMessage(role: isTool ? "tool" : role, kind: isTool ? "tool_output" : "message",
                                     text: parts.joined(separator: "\n"), sourceLine: line)
        message.toolName = toolName ?? (isTool ? record["name"]?.string : nil)
        message.timestamp = record["timestamp"]?.string
        message.isConversationMessage = role == "user" || role == "assistant"
        return [message]
    }
}

/// Aider's `.aider.chat.history.md`: `# aider chat started at <time>`, user lines `#### ...`,
/// tool output `> ...`, and the assistant's replies as plain text between them.
enum AiderParser {
    static func messages(_ text: String, stats: inout ImportStats) -> [SessionMessage] {
        var messages: [SessionMessage] = []
        var role: String?
        var lines: [Substring] = []
        var firstLine = 0
        var timestamp: String?

        func flush() {
            defer { lines.removeAll(); role = nil }
            guard let current = role else { return }
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
            guard !lines.isEmpty else { return }
            var message = SessionMessage(role: current, kind: current == "tool" ? "tool_output" : "message",
                                         text: lines.joined(separator: "\n"), timestamp: timestamp, sourceLine: firstLine)
            message.isConversationMessage = current == "user" || current == "assistant"
            messages.append(message)
        }

        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let kind: String
            var content = line
            if line.hasPrefix("# aider chat started at ") {
                flush()
                timestamp = String(line.dropFirst("# aider chat started at ".count)).trimmingCharacters(in: .whitespaces)
                if stats.title == nil { stats.title = "aider chat started at \(timestamp ?? "")" }
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
}

import Foundation
