/// Tool inputs and outputs as labelled text, so what a tool wrote or ran reads, greps and has line
/// numbers as it was: one `field: value` line per field, and a string with line breaks on the lines
/// after `field:`, unescaped. (As compact JSON, a file's content was one line of `\n` and `\"`.)
enum ToolText {
    /// Appends `value`'s fields to `text`, each on a line of its own after a line break. Nested
    /// fields are labelled by their path (`edits[0].old_string:`); a list of strings is one value,
    /// its items separated by spaces (a command's words). `except` leaves out one top-level field.
    static func appendFields(of value: RecordJSON, except: String? = nil, to text: inout String) {
        if let except, case .object(let members) = value {
            append(.object(members.filter { $0.0 != except }), label: "", to: &text)
        } else {
            append(value, label: "", to: &text)
        }
    }

    /// The `{"output": …, "metadata": …}` wrapper Codex 0.40-era rollouts put around a tool's
    /// output, as a string; nil for any other text.
    static func codexOutputWrapper(_ output: String) -> RecordJSON? {
        guard output.utf8.first == UInt8(ascii: "{"), let value = try? JSONParser.parse(output),
              case .object(let members) = value, value["output"]?.string != nil,
              members.allSatisfy({ $0.0 == "output" || $0.0 == "metadata" }) else { return nil }
        return value
    }

    /// Appends a call's arguments: Codex and OpenAI `function_call`s write them as a JSON string,
    /// labelled by field when it holds an object (other strings are appended as they are).
    static func appendArguments(_ arguments: RecordJSON, to text: inout String) {
        if let string = arguments.string, string.utf8.first == UInt8(ascii: "{"),
           let parsed = try? JSONParser.parse(string), parsed.isObject {
            appendFields(of: parsed, to: &text)
        } else {
            appendFields(of: arguments, to: &text)
        }
    }

    private static func append(_ value: RecordJSON, label: String, to text: inout String) {
        switch value {
        case .object(let members):
            for (key, member) in members { append(member, label: label.isEmpty ? key : "\(label).\(key)", to: &text) }
        case .array(let items) where items.allSatisfy({ $0.string != nil }):
            var words = ""
            for (index, item) in items.enumerated() {
                if index > 0 { words += " " }
                words += item.string ?? ""
            }
            line(label, words, to: &text)
        case .array(let items):
            for (index, item) in items.enumerated() { append(item, label: "\(label)[\(index)]", to: &text) }
        case .string(let string):
            line(label, string, to: &text)
        default:
            line(label, value.compactText, to: &text)
        }
    }

    private static func line(_ label: String, _ value: String, to text: inout String) {
        text += "\n"
        if label.isEmpty {
            text += value
        } else if value.isEmpty {
            text += label + ":"
        } else {
            text += label
            text += value.utf8.contains(0x0A) ? ":\n" : ": "
            text += value
        }
    }
}
