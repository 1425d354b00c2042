import RLMProtocol

/// The tools `rlmd mcp` offers, with their JSON Schemas.
enum MCPTools {
    static let all: [MCP.Tool] = [
        MCP.Tool("ask_repo", "Answer a question about this repository with a recursive language model that explores the whole codebase with code; the answer cites path:line. Slower and costlier than grep/search: use it for questions that need understanding across files.",
                 ["question": .string("The question.")], required: ["question"]),
        MCP.Tool("follow_up", "Ask another question in a conversation an ask_repo or summarize_session answer named; what was found before carries over.",
                 ["conversation": .string("The conversation id from an earlier answer."), "question": .string("The question.")],
                 required: ["conversation", "question"]),
        MCP.Tool("summarize_session", "Summarize an AI-coding session (goal, decisions and why, files, commands, open TODOs, state), citing message numbers. Without a file, the newest Claude Code session of this workspace.",
                 ["file": .string("A session file (.jsonl from Claude Code or Codex, .aider.chat.history.md).")], required: []),
        MCP.Tool("grep", "Lines of indexed files matching a regular expression (POSIX extended, plus \\d \\w \\s \\b): path:line:text.",
                 ["pattern": .string("The regular expression."), "glob": .string("Only paths matching this glob, e.g. '*.py' or 'src/**/*.ts'."),
              "max_hits": .integer("At most this many lines (default 100).")], required: ["pattern"]),
        MCP.Tool("read", "Lines of an indexed file exactly as indexed (1-based, inclusive).",
                 ["path": .string("The path relative to the workspace root."), "start_line": .integer("First line."),
              "end_line": .integer("Last line.")], required: ["path"]),
        MCP.Tool("search", "Files ranked by full-text relevance (bm25) for a query, with their best line.",
                 ["query": .string("Words to look for."), "k": .integer("How many files (default 10).")], required: ["query"]),
    ]
}
