import Foundation
import GRDB
import Logging

/// Brings the search shards up to the committed rows: what an import that deferred search
/// (`SearchIndexing.deferred`) left behind, or shards that went missing or stale.
public enum SearchCatchUp {
    /// Whether some committed row is not searchable yet (no lock; `meta` is a committed view).
    static func isNeeded(_ meta: StoreMeta, _ location: StoreLocation) -> Bool {
        meta.root != nil && (meta.searchPendingFrom != nil || meta.searchStamp == nil || !SearchShards.exist(location))
    }

    /// Indexes what the shards lack, under the store's write lock (so it waits for a running
    /// import and for another catch-up); returns false when there was nothing to do.
    @discardableResult
    public static func run(_ location: StoreLocation, logger: Logger = Logger(label: "rlmd.search")) throws(StoreError) -> Bool {
        do {
            let lock = try StoreLock(path: location.lockPath)
            defer { withExtendedLifetime(lock) {} }
            let database = try StoreDatabase.openForWriting(location, logger: logger)
            return try database.write { db in
                let meta = try StoreMeta.load(db)
                guard let root = meta.root, isNeeded(meta, location) else { return false }
                let started = Date()
                let records = try RecordWriter(db: db, location: location, meta: meta, search: .inline, logger: logger)
                do {
                    _ = try records.commit(root: root)
                } catch {
                    records.abandon()
                    throw error
                }
                logger.debug("search index caught up", metadata: ["ms": "\(Int(Date().timeIntervalSince(started) * 1000))"])
                return true
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .damaged(path: location.directory, reason: "search index: \(StoreDatabase.describe(error))")
        }
    }

    /// Runs `run` on a thread of its own, so that the index is likely complete by the first search
    /// (which otherwise waits for it under the store lock). Failures are logged; that search retries.
    public static func startInBackground(_ location: StoreLocation, logger: Logger) {
        let thread = Thread {
            do {
                try run(location, logger: logger)
            } catch {
                logger.warning("building the search index failed: \(error)")
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
