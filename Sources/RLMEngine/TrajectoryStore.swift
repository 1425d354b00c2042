import Foundation
import GRDB

/// Trajectories in `$XDG_STATE_HOME/rlmd/trajectories.sqlite` (default `~/.local/state/rlmd/`):
/// kept after the question, whatever its ending, and readable with `rlmd trajectory ID`.
public final class TrajectoryStore: Sendable {
    private let queue: DatabaseQueue

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/rlmd/trajectories.sqlite"
    }

    public init(path: String = TrajectoryStore.defaultPath()) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        // A trajectory is written at the end of every question, on the answer's critical path: WAL
        // with synchronous=NORMAL commits without waiting for the disk and cannot corrupt the file.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-trajectories") { db in
            try db.execute(sql: """
                CREATE TABLE trajectories (
                    id TEXT PRIMARY KEY, created_at REAL NOT NULL, question TEXT NOT NULL, root TEXT NOT NULL,
                    answer TEXT, partial INTEGER NOT NULL, cost_usd REAL NOT NULL, body BLOB NOT NULL)
                """)
            try db.execute(sql: "CREATE INDEX trajectories_by_time ON trajectories(created_at)")
        }
        try migrator.migrate(queue)
    }

    public func save(_ trajectory: Trajectory) throws {
        let body = try Self.encoder.encode(trajectory)
        try queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO trajectories (id, created_at, question, root, answer, partial, cost_usd, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [trajectory.id, trajectory.createdAt.timeIntervalSince1970, trajectory.question, trajectory.root,
                                 trajectory.answer, trajectory.partial, trajectory.usage.costUSD, body])
        }
    }

    /// The trajectory with `id`, or the one whose id starts with it when that is unique.
    public func load(_ id: String) throws -> Trajectory? {
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, body FROM trajectories WHERE id = ? OR id LIKE ? ORDER BY id = ? DESC LIMIT 2",
                             arguments: [id, id + "%", id])
        }
        // An exact id wins; a prefix must match one trajectory only.
        guard let first = rows.first, rows.count == 1 || first["id"] == id else { return nil }
        return try Self.decoder.decode(Trajectory.self, from: first["body"] as Data)
    }

    public struct Summary: Sendable, Codable {
        public var id: String
        public var createdAt: Date
        public var question: String
        public var partial: Bool
        public var costUSD: Double
    }

    public func recent(limit: Int = 20) throws -> [Summary] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, created_at, question, partial, cost_usd FROM trajectories ORDER BY created_at DESC LIMIT ?",
                             arguments: [limit]).map {
                Summary(id: $0["id"], createdAt: Date(timeIntervalSince1970: $0["created_at"]), question: $0["question"],
                        partial: $0["partial"], costUSD: $0["cost_usd"])
            }
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A short random id (12 hex digits).
    public static func newID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
    }
}
