/// Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`): lines
/// `{timestamp, type, payload}` with session_meta, response_item, event_msg, turn_context, compacted.
struct CodexRenderer: SessionRecordRenderer {
    func messages(from record: JSONValue, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage] {
        let type = record["type"]?.string ?? "(no type)"
        let payload = record["payload"] ?? .null
        var message: SessionMessage
        switch type {
        case "session_meta":
            if stats.sessionID == nil { stats.sessionID = payload["id"]?.string }
            if stats.cwd == nil { stats.cwd = payload["cwd"]?.string }
            let fields = ["id", "cwd", "cli_version", "originator"].compactMap { key in payload[key]?.string.map { "\(key)=\($0)" } }
            message = SessionMessage(role: "system", kind: "record", text: "[session] " + fields.joined(separator: " "), sourceLine: line)
        case "response_item":
            guard let item = responseItem(payload, line: line, stats: &stats) else {
                message = SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)
                break
            }
            message = item
        case "event_msg":
            let eventType = payload["type"]?.string ?? "event"
            let text = payload["message"]?.string ?? payload.compactText
            message = SessionMessage(role: "event", kind: "record", text: "[\(eventType)] \(text)", sourceLine: line)
            if eventType == "token_count", let usage = payload["info"]?["last_token_usage"] {
                message.usage = TokenUsage(input: usage["input_tokens"]?.int ?? 0, output: usage["output_tokens"]?.int ?? 0,
                                           cacheRead: usage["cached_input_tokens"]?.int ?? 0)
            }
        case "turn_context":
            let fields = ["model", "cwd", "approval_policy"].compactMap { key in payload[key]?.string.map { "\(key)=\($0)" } }
            message = SessionMessage(role: "system", kind: "record", text: "[turn context] " + fields.joined(separator: " "), sourceLine: line)
            message.model = payload["model"]?.string
        case "compacted":
            message = SessionMessage(role: "summary", kind: "record",
                                     text: "[compacted]\n" + (payload["message"]?.string ?? payload.compactText), sourceLine: line)
        default:
            stats.unknown(type)
            message = SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)
        }
        message.timestamp = record["timestamp"]?.string
        return [message]
    }

    private func responseItem(_ payload: JSONValue, line: Int, stats: inout ImportStats) -> SessionMessage? {
        let itemType = payload["type"]?.string ?? "(no type)"
        var message: SessionMessage
        switch itemType {
        case "message":
            message = SessionMessage(role: payload["role"]?.string ?? "assistant", text: payload["content"]?.contentText ?? "", sourceLine: line)
            message.isConversationMessage = true
        case "function_call", "custom_tool_call":
            let name = payload["name"]?.string ?? "?"
            let input = payload["arguments"]?.string ?? payload["input"]?.string ?? payload["arguments"]?.compactText ?? ""
            message = SessionMessage(role: "assistant", text: "[tool call: \(name)] \(input)", sourceLine: line)
            message.toolName = name
        case "function_call_output", "custom_tool_call_output":
            let output = payload["output"]
            let text = output?.string ?? output?["output"]?.string ?? output?.compactText ?? ""
            message = SessionMessage(role: "tool", kind: "tool_output",
                                     text: "[tool result: \(payload["call_id"]?.string ?? "?")]\n\(text)", sourceLine: line)
        case "local_shell_call":
            let command = payload["action"]?["command"]?.array?.compactMap(\.string).joined(separator: " ") ?? payload.compactText
            message = SessionMessage(role: "assistant", text: "[tool call: shell] \(command)", sourceLine: line)
            message.toolName = "shell"
        case "reasoning":
            let summary = (payload["summary"]?.array ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
            message = SessionMessage(role: "assistant", text: summary.isEmpty ? "[reasoning, encrypted]" : "[reasoning]\n\(summary)", sourceLine: line)
        case "web_search_call":
            message = SessionMessage(role: "assistant", text: "[web search] " + (payload["action"]?.compactText ?? ""), sourceLine: line)
        default:
            stats.unknown("response_item/\(itemType)")
            return nil
        }
        return message
    }
}
