/// Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`): lines
/// `{timestamp, type, payload}` with session_meta, response_item, event_msg, turn_context, compacted.
/// Older rollouts (before `session_meta`) hold the same items bare: a first line `{id, timestamp,
/// instructions}`, then `{"type":"message"…}`, `function_call`, `reasoning` lines and `record_type` markers.
struct CodexRenderer: SessionRecordRenderer {
    static let responseItemTypes: Set<String> = [
        "message", "reasoning", "function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output",
        "local_shell_call", "web_search_call",
    ]

    /// Events that repeat a response item word for word: Codex persists every message and reasoning
    /// item as a response_item as well (codex-rs `rollout/policy.rs`), so these are the UI's copies.
    static let duplicateEvents: Set<String> = ["user_message", "agent_message", "agent_reasoning", "agent_reasoning_raw_content"]

    /// The first line of a rollout written before `session_meta` existed.
    static func isBareSessionMeta(_ record: RecordJSON) -> Bool {
        record["type"] == nil && record["role"] == nil && record["id"]?.string != nil && record["timestamp"] != nil
    }

    func messages(from record: RecordJSON, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage] {
        let type = record["type"]?.string ?? "(no type)"
        let payload = record["payload"] ?? .null
        let isBareItem = record["payload"] == nil && Self.responseItemTypes.contains(type)
        var message: SessionMessage
        switch type {
        case "session_meta":
            message = sessionMeta(payload, line: line, stats: &stats)
        case _ where type == "response_item" || isBareItem:
            message = responseItem(isBareItem ? record : payload, line: line, stats: &stats)
                ?? SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)
        case "event_msg":
            let eventType = payload["type"]?.string ?? "event"
            if Self.duplicateEvents.contains(eventType) {
                stats.duplicates += 1
                return []
            }
            message = event(payload, type: eventType, line: line)
        case "turn_context":
            let fields = ["model", "cwd", "approval_policy"].compactMap { key in payload[key]?.string.map { "\(key)=\($0)" } }
            message = SessionMessage(role: "system", kind: "record", text: "[turn context] " + fields.joined(separator: " "), sourceLine: line)
            message.model = payload["model"]?.string
        case "compacted":
            message = SessionMessage(role: "summary", kind: "record",
                                     text: "[compacted]\n" + (payload["message"]?.string ?? payload.compactText), sourceLine: line)
        case _ where Self.isBareSessionMeta(record):
            message = sessionMeta(record, line: line, stats: &stats)
        case _ where record["record_type"] != nil:
            let marker = record["record_type"]?.string ?? record["record_type"]?.compactText ?? ""
            var text = "[\(marker)]"
            ToolText.appendFields(of: record, except: "record_type", to: &text)
            message = SessionMessage(role: "system", kind: "record", text: text, sourceLine: line)
        default:
            stats.unknown(type)
            message = SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: line)
        }
        message.timestamp = record["timestamp"]?.string
        return [message]
    }

    private func sessionMeta(_ payload: RecordJSON, line: Int, stats: inout ImportStats) -> SessionMessage {
        if stats.sessionID == nil { stats.sessionID = payload["id"]?.string }
        if stats.cwd == nil { stats.cwd = payload["cwd"]?.string }
        let fields = ["id", "cwd", "cli_version", "originator"].compactMap { key in payload[key]?.string.map { "\(key)=\($0)" } }
        return SessionMessage(role: "system", kind: "record", text: "[session] " + fields.joined(separator: " "), sourceLine: line)
    }

    private func event(_ payload: RecordJSON, type: String, line: Int) -> SessionMessage {
        guard type == "token_count" else {
            var text = "[\(type)]"
            if let said = payload["message"]?.string ?? payload["text"]?.string {
                text += " " + said
            } else {
                ToolText.appendFields(of: payload, except: "type", to: &text)
            }
            return SessionMessage(role: "event", kind: "record", text: text, sourceLine: line)
        }
        // Usage goes in the message's columns and one line of text; rate limits are left out.
        var text = "[token count]"
        var message = SessionMessage(role: "event", kind: "record", text: "", sourceLine: line)
        if let usage = payload["info"]?["last_token_usage"], usage.isObject {
            let tokens = TokenUsage(input: usage["input_tokens"]?.int ?? 0, output: usage["output_tokens"]?.int ?? 0,
                                    cacheRead: usage["cached_input_tokens"]?.int ?? 0)
            text += " input \(tokens.input) (cached \(tokens.cacheRead)), output \(tokens.output)"
            if let total = payload["info"]?["total_token_usage"]?["total_tokens"]?.int { text += ", session total \(total)" }
            message.usage = tokens
        }
        message.text = text
        return message
    }

    private func responseItem(_ payload: RecordJSON, line: Int, stats: inout ImportStats) -> SessionMessage? {
        let itemType = payload["type"]?.string ?? "(no type)"
        var message: SessionMessage
        switch itemType {
        case "message":
            message = SessionMessage(role: payload["role"]?.string ?? "assistant", text: payload["content"]?.contentText ?? "", sourceLine: line)
        case "function_call", "custom_tool_call":
            let name = payload["name"]?.string ?? "?"
            var text = "[tool call: \(name)]"
            if let arguments = payload["arguments"] {
                ToolText.appendArguments(arguments, to: &text)
            } else if let input = payload["input"] {
                ToolText.appendFields(of: .object([("input", input)]), to: &text)
            }
            message = SessionMessage(role: "assistant", text: text, sourceLine: line)
            message.toolName = name
        case "function_call_output", "custom_tool_call_output":
            var text = "[tool result: \(payload["call_id"]?.string ?? "?")]"
            switch payload["output"] {
            case .string(let output)?:
                if let wrapped = ToolText.codexOutputWrapper(output) {
                    ToolText.appendFields(of: wrapped, to: &text)
                } else {
                    text += "\n" + output
                }
            case .array(let parts)?: text += "\n" + RecordJSON.array(parts).contentText
            case let output?: ToolText.appendFields(of: output, to: &text)
            case nil: break
            }
            message = SessionMessage(role: "tool", kind: "tool_output", text: text, sourceLine: line)
        case "local_shell_call":
            var text = "[tool call: shell]"
            ToolText.appendFields(of: payload["action"] ?? .object([]), to: &text)
            message = SessionMessage(role: "assistant", text: text, sourceLine: line)
            message.toolName = "shell"
        case "reasoning":
            let parts = (payload["summary"]?.array ?? []) + (payload["content"]?.array ?? [])
            let reasoning = parts.compactMap { $0["text"]?.string }.joined(separator: "\n")
            message = SessionMessage(role: "assistant", text: reasoning.isEmpty ? "[reasoning, encrypted]" : "[reasoning]\n\(reasoning)", sourceLine: line)
        case "web_search_call":
            var text = "[web search]"
            ToolText.appendFields(of: payload["action"] ?? .object([]), to: &text)
            message = SessionMessage(role: "assistant", text: text, sourceLine: line)
        default:
            stats.unknown("response_item/\(itemType)")
            return nil
        }
        return message
    }
}
