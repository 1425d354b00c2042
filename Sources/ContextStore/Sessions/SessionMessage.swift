/// One rendered entry of a session transcript: becomes one document of the session's context.
public struct SessionMessage: Sendable, Equatable {
    /// user, assistant, tool, system, summary, event or other.
    public var role: String
    /// message, tool_output or record (metadata and unknown record types kept as raw text).
    public var kind: String
    public var text: String
    public var timestamp: String?
    public var toolName: String?
    public var model: String?
    public var usage: TokenUsage?
    public var uuid: String?
    public var parentUUID: String?
    public var sidechain = false
    /// 1-based line (or entry) of the source file it came from.
    public var sourceLine: Int
    /// A `user`/`assistant` line of the transcript (or a Codex `message` item): what `messages` counts.
    public var isConversationMessage = false

    public init(role: String, kind: String = "message", text: String, timestamp: String? = nil, sourceLine: Int) {
        self.role = role
        self.kind = kind
        self.text = text
        self.timestamp = timestamp
        self.sourceLine = sourceLine
    }
}

/// What an import saw besides messages; persisted per source so re-imports keep counting.
public struct ImportStats: Sendable, Equatable, Codable {
    public var sessionID: String?
    public var cwd: String?
    public var title: String?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var messages = 0
    public var byRole: [String: Int] = [:]
    public var malformedLines = 0
    /// The first few malformed lines as "line N: reason".
    public var malformedExamples: [String] = []
    public var unknownTypes: [String: Int] = [:]

    mutating func malformed(line: Int, _ reason: String) {
        malformedLines += 1
        if malformedExamples.count < 10 { malformedExamples.append("line \(line): \(reason)") }
    }

    mutating func unknown(_ type: String) {
        unknownTypes[type, default: 0] += 1
    }

    mutating func saw(_ message: SessionMessage, countsMessages: Bool) {
        byRole[message.role, default: 0] += 1
        if countsMessages && message.isConversationMessage { messages += 1 }
        if let timestamp = message.timestamp {
            if firstTimestamp == nil { firstTimestamp = timestamp }
            lastTimestamp = timestamp
        }
    }
}

/// Renders parsed JSON records of one format into messages.
protocol SessionRecordRenderer {
    /// `raw` gives the line as written, kept verbatim for record types we do not know (made
    /// only then: decoding every line twice cost a tenth of an import).
    func messages(from record: JSONValue, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage]
}

extension JSONValue {
    /// The text of a content value: a string, or the text parts of a list of blocks.
    var contentText: String {
        if let string { return string }
        guard let parts = array else { return compactText }
        return parts.map { part in
            if let text = part["text"]?.string { return text }
            if let string = part.string { return string }
            if let type = part["type"]?.string { return "[\(type)]" }
            return part.compactText
        }.joined(separator: "\n")
    }
}

/// Tokens a model call reported, as session files record them.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var input = 0, output = 0, cacheRead = 0, cacheCreation = 0
}
