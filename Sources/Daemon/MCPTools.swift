import RLMProtocol

/// The tools `rlmd mcp` offers, with their JSON Schemas.
enum MCPTools {
    static func tool(_ name: String, _ description: String, _ properties: [String: JSONValue], required: [String]) -> JSONValue {
        .object([
            "name": .string(name), "description": .string(description),
            "inputSchema": .object(["type": .string("object"), "properties": .object(properties),
                                    "required": .array(required.map { .string($0) }), "additionalProperties": .bool(false)]),
        ])
    }

    static func string(_ description: String) -> JSONValue { .object(["type": .string("string"), "description": .string(description)]) }
    static func integer(_ description: String) -> JSONValue { .object(["type": .string("integer"), "description": .string(description)]) }

    static let all: [JSONValue] = [
        tool("ask_repo", "Answer a question about this repository with a recursive language model that explores the whole codebase with code; the answer cites path:line. Slower and costlier than grep/search: use it for questions that need understanding across files.",
             ["question": string("The question.")], required: ["question"]),
        tool("follow_up", "Ask another question in a conversation an ask_repo or summarize_session answer named; what was found before carries over.",
             ["conversation": string("The conversation id from an earlier answer."), "question": string("The question.")],
             required: ["conversation", "question"]),
        tool("summarize_session", "Summarize an AI-coding session (goal, decisions and why, files, commands, open TODOs, state), citing message numbers. Without a file, the newest Claude Code session of this workspace.",
             ["file": string("A session file (.jsonl from Claude Code or Codex, .aider.chat.history.md).")], required: []),
        tool("grep", "Lines of indexed files matching a regular expression (POSIX extended, plus \\d \\w \\s \\b): path:line:text.",
             ["pattern": string("The regular expression."), "glob": string("Only paths matching this glob, e.g. '*.py' or 'src/**/*.ts'."),
              "max_hits": integer("At most this many lines (default 100).")], required: ["pattern"]),
        tool("read", "Lines of an indexed file exactly as indexed (1-based, inclusive).",
             ["path": string("The path relative to the workspace root."), "start_line": integer("First line."),
              "end_line": integer("Last line.")], required: ["path"]),
        tool("search", "Files ranked by full-text relevance (bm25) for a query, with their best line.",
             ["query": string("Words to look for."), "k": integer("How many files (default 10).")], required: ["query"]),
    ]

    static func text(_ text: String, isError: Bool = false) -> JSONValue {
        .object(["content": .array([.object(["type": .string("text"), "text": .string(text)])]), "isError": .bool(isError)])
    }
}
