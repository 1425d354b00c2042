import ContextStore

/// The objects `rlmd index --json` prints: snake_case keys, as since the command shipped (users and
/// scripts parse them; see docs/architecture.md for each command family's key style). Built from the
/// ContextStore reports, which are plain structs and know nothing of this encoding.
enum IndexOutput {
    /// A workspace's index run.
    struct Workspace: Encodable {
        var root, store: String
        var files, bytes, tokens: Int
        var skipped: [String: Int]
        var changed, removed, invalid_utf8: Int
        var git: Bool
        var seconds: Double
    }

    /// A session import (`--session`, `--claude`, `--codex`).
    struct Session: Encodable {
        struct Counts: Encodable { var user, assistant, tool_calls, tool_results: Int }

        var session, format, path, store: String
        var messages: Int
        var message_counts: Counts
        var by_role: [String: Int]
        var malformed_lines: Int
        var malformed_examples: [String]
        var unknown_types: [String: Int]
        var duplicates, subagents, added, pending_bytes, bytes, tokens: Int
        var seconds: Double
        var search_pending: Bool
    }
}

extension IndexOutput.Workspace {
    init(_ r: IndexReport) {
        self.init(root: r.root, store: r.store, files: r.files, bytes: r.bytes, tokens: r.tokens, skipped: r.skipped,
                  changed: r.changed, removed: r.removed, invalid_utf8: r.invalidUTF8, git: r.git, seconds: r.seconds)
    }
}

extension IndexOutput.Session {
    init(_ r: SessionImportReport) {
        let counts = Counts(user: r.messageCounts.user, assistant: r.messageCounts.assistant,
                            tool_calls: r.messageCounts.toolCalls, tool_results: r.messageCounts.toolResults)
        self.init(session: r.session, format: r.format, path: r.path, store: r.store, messages: r.messages, message_counts: counts,
                  by_role: r.byRole, malformed_lines: r.malformedLines, malformed_examples: r.malformedExamples,
                  unknown_types: r.unknownTypes, duplicates: r.duplicates, subagents: r.subagents, added: r.added,
                  pending_bytes: r.pendingBytes, bytes: r.bytes, tokens: r.tokens, seconds: r.seconds, search_pending: r.searchPending)
    }
}
