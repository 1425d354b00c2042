/// Sub-agent conversations written into the main transcript: Claude Code 1.0.x kept a Task
/// agent's records there, marked `isSidechain: true`, before it gave each agent a file of its own
/// (`subagents/agent-<id>.jsonl`). Each becomes an agent labelled as those files are, so its
/// prompts are not read as the user's: `agent-<id>#<n>`, `<id>` from the record's `agentId`, or the
/// first uuid of the sidechain, found by following `parentUuid`.
struct SidechainAgents: Sendable, Equatable, Codable {
    /// The next message number of each agent.
    var nextIndex: [String: Int] = [:]
    /// The latest sidechain records' uuids and their agents: a record's parent is a recent one.
    private var recentUUIDs: [String] = []
    private var recentAgents: [String] = []
    private static let window = 256

    var labels: [String] { Array(nextIndex.keys) }

    /// The agent `message` belongs to and its number there.
    mutating func place(_ message: SessionMessage) -> (label: String, index: Int) {
        let label: String
        if let id = message.agentID, !id.isEmpty {
            label = "agent-" + id
        } else if let parent = message.parentUUID, let found = recentUUIDs.lastIndex(of: parent) {
            label = recentAgents[found]
        } else {
            let root = message.uuid.map { $0.filter { $0 != "-" } } ?? ""
            label = "agent-" + (root.isEmpty ? "line\(message.sourceLine)" : String(root.prefix(8)))
        }
        if let uuid = message.uuid {
            if recentUUIDs.count == Self.window {
                recentUUIDs.removeFirst()
                recentAgents.removeFirst()
            }
            recentUUIDs.append(uuid)
            recentAgents.append(label)
        }
        let index = nextIndex[label, default: 1]
        nextIndex[label] = index + 1
        return (label, index)
    }
}
