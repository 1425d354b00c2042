/// `rlm/trajectory`: what a question did, as JSON Lines (`rlmd trajectory ID --jsonl`) or as the
/// self-contained HTML page (`rlmd trajectory ID --html`), inline or written to a file.
public enum TrajectoryRequest: RequestMethod {
    public static let method = "rlm/trajectory"

    public enum Format: String, Codable, Sendable, Equatable {
        case jsonl, html
    }

    public struct Params: Codable, Sendable, Equatable {
        public var id: String
        /// Default `jsonl`.
        public var format: Format?
        /// With `html`: return the page itself instead of writing it to a file in the server's cache
        /// folder and returning its path (what editors open in a browser).
        public var inline: Bool?

        public init(id: String, format: Format? = nil, inline: Bool? = nil) {
            self.id = id
            self.format = format
            self.inline = inline
        }
    }

    /// Exactly one field is set: `jsonl`; for `html`, `path` (or, with `inline: true`, `html`).
    public struct Result: Codable, Sendable, Equatable {
        /// JSON Lines: a metadata line, then one line per turn.
        public var jsonl: String?
        public var html: String?
        /// The absolute path of the page written.
        public var path: String?

        public init(jsonl: String? = nil, html: String? = nil, path: String? = nil) {
            self.jsonl = jsonl
            self.html = html
            self.path = path
        }
    }
}
