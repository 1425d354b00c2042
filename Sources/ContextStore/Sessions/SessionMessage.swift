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
    /// Written by a sub-agent (Claude Code's `isSidechain`).
    public var sidechain = false
    /// The sub-agent's id, when the record names it (`agentId`).
    public var agentID: String?
    /// Put in the user's turn by the tool, not typed by the person (Claude Code's `isMeta` caveats,
    /// and the `isCompactSummary` that opens a session continued after compaction).
    public var isMeta = false
    /// 1-based line (or entry) of the source file it came from.
    public var sourceLine: Int

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
    /// Raised when what an import makes of a record changes: sources imported by another version
    /// are imported again from their start, so one store never mixes two renderings.
    static let currentVersion = 2

    public var version = ImportStats.currentVersion
    public var sessionID: String?
    public var cwd: String?
    public var title: String?
    /// The first line of the person's first message (a session's title when it has no summary).
    public var firstUserLine: String?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var messageCounts = MessageCounts()
    public var byRole: [String: Int] = [:]
    public var malformedLines = 0
    /// The first few malformed lines as "line N: reason".
    public var malformedExamples: [String] = []
    public var unknownTypes: [String: Int] = [:]
    /// Records left out because they repeat another word for word (Codex's event copies of messages).
    public var duplicates = 0
    /// Sub-agent conversations written into this transcript.
    var sidechains = SidechainAgents()

    /// The session's messages, counted the same way in every format (see `MessageCounts`).
    public var messages: Int { messageCounts.total }

    mutating func malformed(line: Int, _ reason: String) {
        malformedLines += 1
        if malformedExamples.count < 10 { malformedExamples.append("line \(line): \(reason)") }
    }

    mutating func unknown(_ type: String) {
        unknownTypes[type, default: 0] += 1
    }

    /// Counts `message` (when `counts` and it is not a sub-agent's) and notes its time.
    mutating func saw(_ message: SessionMessage, counts: Bool) {
        if counts && !message.sidechain {
            byRole[message.role, default: 0] += 1
            messageCounts.add(message)
            if firstUserLine == nil, message.role == "user", !message.isMeta {
                firstUserLine = SessionTitle.fromFirstMessage(message.text)
            }
        }
        if let timestamp = message.timestamp {
            if firstTimestamp == nil { firstTimestamp = timestamp }
            lastTimestamp = timestamp
        }
    }
}

/// What `messages` counts, the same in every format: the user's messages, the assistant's (text,
/// thinking and reasoning), the assistant's tool calls (a message that calls a tool) and the tools'
/// results. System records, summaries, events, metadata and unknown records are documents, not messages.
/// Codable because `ImportStats` is stored as JSON in a session store's `sources.stats`: its keys are
/// that format's (the CLI prints its own copy, `IndexOutput.Session.Counts`).
public struct MessageCounts: Sendable, Equatable, Codable {
    public var user = 0, assistant = 0, toolCalls = 0, toolResults = 0

    public var total: Int { user + assistant + toolCalls + toolResults }

    enum CodingKeys: String, CodingKey {
        case user, assistant, toolCalls = "tool_calls", toolResults = "tool_results"
    }

    mutating func add(_ message: SessionMessage) {
        switch message.role {
        case "user": user += 1
        case "assistant": if message.toolName == nil { assistant += 1 } else { toolCalls += 1 }
        case "tool": toolResults += 1
        default: break
        }
    }
}

/// Renders parsed JSON records of one format into messages.
protocol SessionRecordRenderer {
    /// `raw` gives the line as written, kept verbatim for record types we do not know (made
    /// only then: decoding every line twice cost a tenth of an import).
    func messages(from record: RecordJSON, raw: () -> String, line: Int, stats: inout ImportStats) -> [SessionMessage]
}

extension RecordJSON {
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
