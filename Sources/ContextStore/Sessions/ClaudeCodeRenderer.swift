/// Claude Code transcripts (`~/.claude/projects/<cwd>/<session>.jsonl`): one JSON record per line,
/// `type` user / assistant / system / summary, `message.content` a string or content blocks.
struct ClaudeCodeRenderer: SessionRecordRenderer {
    func messages(from record: RecordJSON, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage] {
        guard record.isObject else {
            stats.unknown("(not an object)")
            return [SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)]
        }
        if stats.sessionID == nil { stats.sessionID = record["sessionId"]?.string }
        if stats.cwd == nil { stats.cwd = record["cwd"]?.string }
        let type = record["type"]?.string ?? "(no type)"
        let timestamp = record["timestamp"]?.string
        var message: SessionMessage
        switch type {
        case "user", "assistant":
            message = conversation(record, type: type, line: line)
        case "system":
            let subtype = record["subtype"]?.string
            let content = record["content"].map(\.contentText) ?? ""
            let label = subtype == "compact_boundary" ? "[compact boundary]" : "[system\(subtype.map { " " + $0 } ?? "")]"
            message = SessionMessage(role: "system", kind: "record", text: content.isEmpty ? label : "\(label) \(content)", sourceLine: line)
        case "summary":
            let summary = record["summary"]?.string ?? ""
            stats.title = summary
            message = SessionMessage(role: "summary", kind: "record", text: "[summary] \(summary)", sourceLine: line)
        default:
            stats.unknown(type)
            if stats.title == nil, type.hasSuffix("title"), let title = record["title"]?.string ?? record["aiTitle"]?.string {
                stats.title = title
            }
            message = SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)
        }
        message.timestamp = timestamp
        message.uuid = record["uuid"]?.string
        message.parentUUID = record["parentUuid"]?.string
        message.sidechain = record["isSidechain"]?.bool ?? false
        if message.sidechain { message.agentID = record["agentId"]?.string }
        message.isMeta = record["isMeta"]?.bool == true || record["isCompactSummary"]?.bool == true
        return [message]
    }

    private func conversation(_ record: RecordJSON, type: String, line: Int) -> SessionMessage {
        let body = record["message"]
        var text = ""
        var toolName: String?
        var onlyToolResults = true
        let content = body?["content"]
        if let string = content?.string {
            text = string
            onlyToolResults = false
        } else {
            // Blocks are appended in place, one per line: tool outputs are most of a session's bytes.
            var first = true
            for block in content?.array ?? [] {
                let blockType = block["type"]?.string ?? "?"
                if blockType != "tool_result" { onlyToolResults = false }
                if !first { text += "\n" }
                first = false
                switch blockType {
                case "text": text += block["text"]?.string ?? ""
                case "thinking": text += "[thinking]\n"; text += block["thinking"]?.string ?? ""
                case "redacted_thinking": text += "[thinking, redacted]"
                case "tool_use":
                    let name = block["name"]?.string ?? "?"
                    toolName = toolName ?? name
                    text += "[tool call: \(name)]"
                    ToolText.appendFields(of: block["input"] ?? .object([]), to: &text)
                case "tool_result":
                    let error = block["is_error"]?.bool == true ? " (error)" : ""
                    let id = block["tool_use_id"]?.string ?? "?"
                    text += "[tool result\(error): \(id)]\n"
                    text += block["content"]?.contentText ?? ""
                case "image": text += "[image]"
                default: text += "[\(blockType)] "; text += block.compactText
                }
            }
        }
        if record["isCompactSummary"]?.bool == true { text = "[compact summary]\n" + text }
        if record["isMeta"]?.bool == true { text = "[meta] " + text }
        let isTool = type == "user" && onlyToolResults && !(content?.array ?? []).isEmpty
        var message = SessionMessage(role: isTool ? "tool" : (body?["role"]?.string ?? type),
                                     kind: isTool ? "tool_output" : "message", text: text, sourceLine: line)
        message.toolName = toolName
        message.model = body?["model"]?.string
        if let usage = body?["usage"], usage.isObject {
            message.usage = TokenUsage(
                input: usage["input_tokens"]?.int ?? 0, output: usage["output_tokens"]?.int ?? 0,
                cacheRead: usage["cache_read_input_tokens"]?.int ?? 0,
                cacheCreation: usage["cache_creation_input_tokens"]?.int ?? 0)
        }
        return message
    }
}
