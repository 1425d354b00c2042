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

    /// Guesses the format from a file's first bytes (the first lines that say anything); nil when nothing fits.
    public static func detect(prefix: [UInt8]) -> SessionFormat? {
        let text = String(decoding: prefix, as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.hasPrefix("# aider chat started at") { return .aider }
        if trimmed.hasPrefix("[") { return .generic }
        guard trimmed.hasPrefix("{") else { return nil }
        for line in trimmed.split(separator: "\n").prefix(50) {
            guard let record = try? JSONParser.parse(String(line)) else {
                // The first line is not a whole JSON value: one document spread over lines.
                return line.utf8.first == UInt8(ascii: "{") && line == trimmed.split(separator: "\n").first ? .generic : nil
            }
            if record["payload"] != nil && record["type"] != nil { return .codex }
            if record["sessionId"] != nil || record["parentUuid"] != nil || record["leafUuid"] != nil { return .claude }
            if let type = record["type"]?.string, ["summary", "file-history-snapshot", "queue-operation"].contains(type) { return .claude }
            if record["role"] != nil || record["messages"] != nil { return .generic }
        }
        return nil
    }
}
