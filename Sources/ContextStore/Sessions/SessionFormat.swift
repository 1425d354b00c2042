import Foundation

/// The session file formats rlmd imports.
public enum SessionFormat: String, Sendable, CaseIterable, Codable {
    case claude, codex, aider, generic

    /// Line-oriented formats are imported incrementally; the others are re-read when they change.
    var isLineOriented: Bool { self != .aider }

    /// Top-level members no renderer reads: parsed for validity, never built.
    var skippedKeys: [String] {
        self == .claude ? ["toolUseResult", "snapshot"] : []
    }

    var renderer: any SessionRecordRenderer {
        switch self {
        case .claude: ClaudeCodeRenderer()
        case .codex: CodexRenderer()
        case .aider, .generic: GenericRenderer()
        }
    }

    /// Guesses the format from the first records that say which it is, skipping lines that are not
    /// records (a bad first line, a file cut at the front); nil when nothing fits, or the file is blank.
    static func detect(_ prefix: SessionPrefix) -> SessionFormat? {
        let lines = prefix.lines
        guard let first = lines.first else { return nil }
        if first.starts(with: "# aider chat started at".utf8) { return .aider }
        for record in prefix.records.prefix(64) {
            if let format = recordFormat(record) { return format }
        }
        // A JSON document rather than JSON Lines: a one-line array, or a value spread over lines.
        if first.first == UInt8(ascii: "[") || first.first == UInt8(ascii: "{") { return .generic }
        return nil
    }

    /// The format one record belongs to, when it tells.
    private static func recordFormat(_ record: RecordJSON) -> SessionFormat? {
        if record["payload"] != nil && record["type"] != nil { return .codex }
        if record["sessionId"] != nil || record["parentUuid"] != nil || record["leafUuid"] != nil { return .claude }
        if let type = record["type"]?.string {
            if ["summary", "file-history-snapshot", "queue-operation"].contains(type) { return .claude }
            if CodexRenderer.responseItemTypes.contains(type) { return .codex }  // rollouts before session_meta
        }
        if CodexRenderer.isBareSessionMeta(record) || record["record_type"] != nil { return .codex }
        if record["role"] != nil || record["messages"] != nil { return .generic }
        return nil
    }
}
