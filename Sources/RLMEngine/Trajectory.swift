import Foundation
import LMClient
import REPL

/// Everything a question did: the metadata, then one record per turn with its code, outputs and
/// sub-calls (a child RLM's turns nested inside the `rlm_query` that started it).
public struct Trajectory: Sendable, Codable, Equatable {
    public var id: String
    public var question: String
    public var kind: String
    public var root: String
    public var createdAt: Date
    public var model: String
    public var subModel: String
    public var limits: BudgetLimits
    public var answer: String?
    public var partial = false
    public var stopReason: String?
    public var citations: [Citation] = []
    public var usage = RunUsage()
    public var turns: [Turn] = []
    /// From the question to its answer. Fields added after the first release are optional, so
    /// trajectories saved before them still load (the viewer shows them as not recorded).
    public var wallMilliseconds: Double?
    /// The folder of the index the question ran on, where cited lines are read back from.
    public var store: String?

    public struct Turn: Sendable, Codable, Equatable {
        public var depth: Int
        public var iteration: Int
        public var reply: String
        public var usage: Usage?
        public var costUSD: Double?
        /// The model call failed (after retries), or this was the last "answer now" call.
        public var error: String?
        public var answerNow = false
        public var cells: [Cell] = []
        public var subCalls: [SubCallRecord] = []
        /// When the turn started, from the start of the question.
        public var startedMs: Double?
        /// The model call alone, and the whole turn (the call and its cells).
        public var modelMilliseconds: Double?
        public var milliseconds: Double?
    }

    public struct Cell: Sendable, Codable, Equatable {
        public var code: String
        public var result: CellResult
    }

    public struct SubCallRecord: Sendable, Codable, Equatable {
        public var kind: String
        public var model: String
        public var prompt: String
        public var response: String?
        public var error: String?
        public var usage: Usage?
        public var costUSD: Double?
        public var milliseconds: Double
        /// The turns of a child RLM (`rlm_query` with depth to spare).
        public var child: [Turn]?
        /// The index in its turn's `cells` of the cell that made the call.
        public var cell: Int?
        /// Its place in an `llm_query_batched` call.
        public var batch: BatchPosition?
        /// When the call started, from the start of the question.
        public var startedMs: Double?
    }

    /// Prompts and replies longer than this are cut in the record (head and tail kept).
    static let recordLimit = 8_000

    static func clip(_ text: String) -> String {
        guard text.count > recordLimit else { return text }
        let half = recordLimit / 2
        return "\(text.prefix(half))\n... [\(text.count - recordLimit) chars cut] ...\n\(text.suffix(half))"
    }

    /// JSON Lines: a metadata line, then one line per turn (sub-calls nested).
    public func jsonLines() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var metadata = self
        metadata.turns = []
        var lines = [String(decoding: try encoder.encode(Metadata(trajectory: metadata)), as: UTF8.self)]
        for turn in turns { lines.append(String(decoding: try encoder.encode(turn), as: UTF8.self)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The trajectory's fields without its turns, plus `"type": "trajectory"`.
    private struct Metadata: Encodable {
        var type = "trajectory"
        var trajectory: Trajectory

        func encode(to encoder: Encoder) throws {
            try trajectory.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(type, forKey: .type)
        }

        enum Key: String, CodingKey { case type }
    }
}
