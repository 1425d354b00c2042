import Foundation
import GRDB
import Logging

/// The full-text index, split over `count` SQLite files (`search-<n>.sqlite`) that are written
/// by one thread each, because FTS5 tokenising is the single most expensive step of a cold index
/// and SQLite admits one writer per database file. A document lives in shard `id % count`.
///
/// The shards are derived data: each carries the stamp of the refresh that last committed it, and
/// the main database commits that stamp after them. A mismatch (a run killed between the commits,
/// a missing or damaged shard) makes the next refresh rebuild all shards from the context file.
enum SearchShards {
    static let count = 2

    static func path(_ location: StoreLocation, shard: Int) -> String { "\(location.directory)/search-\(shard).sqlite" }

    static func shard(of id: Int64) -> Int { Int(id % Int64(count)) }

    /// True when every shard exists and was committed by the refresh that committed `stamp`.
    static func areCurrent(_ location: StoreLocation, stamp: String?) -> Bool {
        guard let stamp else { return false }
        for shard in 0..<count {
            let path = path(location, shard: shard)
            guard FileManager.default.fileExists(atPath: path),
                  let queue = try? DatabaseQueue(path: path, configuration: StoreDatabase.configuration(readOnly: true)),
                  let found = try? queue.read({ try String.fetchOne($0, sql: "SELECT value FROM stamp WHERE key = 'refresh'") }),
                  found == stamp
            else { return false }
        }
        return true
    }

    /// A cheap check for the no-op refresh: the files are there (stamps are checked when writing).
    static func exist(_ location: StoreLocation) -> Bool {
        (0..<count).allSatisfy { FileManager.default.fileExists(atPath: path(location, shard: $0)) }
    }

    static func removeAll(_ location: StoreLocation) {
        for shard in 0..<count {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path(location, shard: shard) + suffix) }
        }
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS stamp (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
                path, body, content='', tokenize='unicode61 remove_diacritics 2'
            );
            """)
    }
}

/// What a shard writer is asked to do; texts are owned bytes or a range of the old context file.
enum SearchJob: Sendable {
    enum Text: Sendable {
        case owned([UInt8])
        case committed(Range<Int>)
    }
    case insert(id: Int64, path: String, text: Text)
    case delete(id: Int64, path: String, text: Range<Int>)
}

/// Writes one shard on its own thread, in one transaction that commits when `finish()` is called.
final class SearchShardWriter: @unchecked Sendable {
    private let queue = BlockingQueue<SearchJob>(capacity: 256)
    private let done = DispatchSemaphore(value: 0)
    private let failureBox = FailureBox()

    init(path: String, stamp: String, committedContext: MappedFile) {
        let queue = self.queue
        let box = failureBox
        let done = self.done
        let thread = Thread {
            defer { done.signal() }
            do {
                let database = try DatabaseQueue(path: path, configuration: StoreDatabase.configuration(readOnly: false))
                try database.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try SearchShards.createSchema(db)
                }
                try database.write { db in
                    let insert = try RawStatement(db, "INSERT INTO fts (rowid, path, body) VALUES (?, ?, ?)")
                    let delete = try RawStatement(db, "INSERT INTO fts (fts, rowid, path, body) VALUES ('delete', ?, ?, ?)")
                    while let job = queue.pop() {
                        let (statement, id, jobPath, text): (RawStatement, Int64, String, SearchJob.Text) = switch job {
                        case .insert(let id, let path, let text): (insert, id, path, text)
                        case .delete(let id, let path, let range): (delete, id, path, .committed(range))
                        }
                        statement.bind(1, id)
                        statement.bind(2, jobPath)
                        switch text {
                        case .owned(let bytes):
                            try bytes.withUnsafeBytes { statement.bind(3, utf8: $0); try statement.run() }
                        case .committed(let range):
                            statement.bind(3, utf8: committedContext[range])
                            try statement.run()
                        }
                    }
                    try db.execute(sql: "INSERT OR REPLACE INTO stamp (key, value) VALUES ('refresh', ?)", arguments: [stamp])
                }
            } catch {
                box.error = error
                queue.drainAfterFailure()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func submit(_ job: SearchJob) { queue.push(job) }

    /// Waits for the shard's commit; rethrows its error.
    func finish() throws {
        queue.finish()
        done.wait()
        if let error = failureBox.error { throw error }
    }

    private final class FailureBox: @unchecked Sendable {
        var error: (any Error)?
    }
}
