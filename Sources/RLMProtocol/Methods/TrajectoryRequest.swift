/// `rlm/trajectory`: what a question did, as `rlmd trajectory ID --jsonl` prints it.
public enum TrajectoryRequest: RequestMethod {
    public static let method = "rlm/trajectory"

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        public init(id: String) { self.id = id }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// JSON Lines: a metadata line, then one line per turn.
        public var jsonl: String
        public init(jsonl: String) { self.jsonl = jsonl }
    }
}
