import ContextStore

/// The objects `rlmd index --json` prints: snake_case keys, as since the command shipped (users and
/// scripts parse them; see docs/architecture.md for each command family's key style). Built from the
/// ContextStore reports, which are plain structs and know nothing of this encoding.
enum IndexOutput {
    /// A workspace's index run.
    struct Workspace: Encodable {
        var root: String
        var store: String
        var files: Int
        var bytes: Int
        var tokens: Int
        var skipped: [String: Int]
        var changed: Int
        var removed: Int
        var invalid_utf8: Int
        var git: Bool
        var seconds: Double

        init(_ report: IndexReport) {
            root = report.root
            store = report.store
            files = report.files
            bytes = report.bytes
            tokens = report.tokens
            skipped = report.skipped
            changed = report.changed
            removed = report.removed
            invalid_utf8 = report.invalidUTF8
            git = report.git
            seconds = report.seconds
        }
    }

    /// A session import (`--session`, `--claude`, `--codex`).
    struct Session: Encodable {
        struct Counts: Encodable {
            var user: Int
            var assistant: Int
            var tool_calls: Int
            var tool_results: Int
        }

        var session: String
        var format: String
        var path: String
        var store: String
        var messages: Int
        var message_counts: Counts
        var by_role: [String: Int]
        var malformed_lines: Int
        var malformed_examples: [String]
        var unknown_types: [String: Int]
        var duplicates: Int
        var subagents: Int
        var added: Int
        var pending_bytes: Int
        var bytes: Int
        var tokens: Int
        var seconds: Double
        var search_pending: Bool

        init(_ report: SessionImportReport) {
            let counts = report.messageCounts
            session = report.session
            format = report.format
            path = report.path
            store = report.store
            messages = report.messages
            message_counts = Counts(user: counts.user, assistant: counts.assistant, tool_calls: counts.toolCalls,
                                    tool_results: counts.toolResults)
            by_role = report.byRole
            malformed_lines = report.malformedLines
            malformed_examples = report.malformedExamples
            unknown_types = report.unknownTypes
            duplicates = report.duplicates
            subagents = report.subagents
            added = report.added
            pending_bytes = report.pendingBytes
            bytes = report.bytes
            tokens = report.tokens
            seconds = report.seconds
            search_pending = report.searchPending
        }
    }
}
