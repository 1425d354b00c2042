import Foundation
import GRDB
import Logging

/// The full-text index, split over `count` SQLite files (`search-<n>.sqlite`) that are written
/// by one thread each, because FTS5 tokenising is the single most expensive step of a cold index
/// and SQLite admits one writer per database file. A document lives in the shard its hashed id picks.
///
/// The shards are derived data: each carries the stamp of the refresh that last committed it, and
/// the main database commits that stamp after them. A mismatch (a run killed between the commits,
/// a missing or damaged shard) makes the next refresh rebuild all shards from the context file.
enum SearchShards {
    static let count = 2

    static func path(_ location: StoreLocation, shard: Int) -> String { "\(location.directory)/search-\(shard).sqlite" }

    /// A multiplicative hash of the id, not `id % count`: session messages cycle through kinds of
    /// very different sizes, and with plain parity every large tool output landed in one shard.
    static func shard(of id: Int64) -> Int {
        Int(((UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15) >> 32) % UInt64(count))
    }

    /// Starts one writer per shard. When a shard cannot be opened, all are deleted and started
    /// afresh; `rebuild` is true when the shards do not hold `stamp` (then they start emptied).
    static func startWriters(_ location: StoreLocation, stamp expected: String?, newStamp: String,
                             committedContext: MappedFile, logger: Logger) -> (writers: [SearchShardWriter], rebuild: Bool) {
        func start() -> [SearchShardWriter] {
            (0..<count).map { SearchShardWriter(path: path(location, shard: $0), stamp: newStamp, committedContext: committedContext) }
        }
        let writers = start()
        var stamps: [String?] = []
        var failure: (any Error)?
        for writer in writers {
            do { stamps.append(try writer.waitUntilReady()) } catch { failure = error }
        }
        if failure == nil, let expected, stamps.allSatisfy({ $0 == expected }) { return (writers, false) }
        // Stale, missing or damaged: new files, rather than emptying old ones that a killed run may
        // have left half-written (new shards are built without a journal).
        if let failure { logger.warning("search index unusable (\(StoreDatabase.describe(failure))); rebuilding it") }
        writers.forEach { $0.abort() }
        removeAll(location)
        // A new shard that still cannot be opened reports its error on finish().
        let fresh = start()
        for writer in fresh { _ = try? writer.waitUntilReady() }
        return (fresh, true)
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
