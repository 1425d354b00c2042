import Foundation
import GRDB
import Logging
import RLMSupport

/// Builds and refreshes the index of one workspace root.
///
/// A run lists the workspace, re-reads only files whose `lstat` changed (or that changed too
/// recently to trust their mtime), appends their records to the context file, and commits the
/// new rows and committed length in one SQLite transaction, after the search shards (see
/// `SearchShards`). Readers keep seeing the previous snapshot until that commit; a run killed
/// at any point leaves that snapshot.
public enum Indexer {
    /// A file whose mtime is this close to the time it was indexed is re-read next time,
    /// because a write in the same clock tick would not change its mtime ("racy git").
    static let racyWindowNanoseconds: Int64 = 2_000_000_000

    public static func refresh(root: String, location: StoreLocation, options: IndexOptions = IndexOptions(),
                               logger: Logger = Logger(label: "rlmd.store")) throws -> IndexReport {
        try WorkspaceLocator.checkWorkspaceRoot(root)
        let started = Date()
        func elapsed() -> Logger.MetadataValue { "\(Int(Date().timeIntervalSince(started) * 1000))" }
        // git lists while we take the lock and open the store.
        let pendingListing = WorkspaceScanner.start(root: root, logger: logger)
        let lock: StoreLock, database: DatabaseQueue, state: IndexState
        do {
            try location.prepareDirectory()
            lock = try StoreLock(path: location.lockPath)
            (database, state) = try openState(root: root, location: location, logger: logger)
        } catch {
            pendingListing.discard()
            throw error
        }
        defer { withExtendedLifetime(lock) {} }
        options.progress?(IndexProgress(phase: .listing, done: 0, total: 0, path: nil))
        let listing = pendingListing.finish()
        var plan = RefreshPlan(listing: listing, state: state, maxBytes: options.maxFileBytes)
        logger.debug("listed \(listing.files.count) files: \(plan.toRead.count) to read, \(plan.removedPaths.count) removed",
                     metadata: ["ms": elapsed()])

        let outcome: IndexWriter.Outcome
        if plan.isNoOp && SearchShards.exist(location) {
            outcome = IndexWriter.Outcome(meta: state.meta)
        } else {
            outcome = try write(plan: &plan, state: state, database: database, root: root, location: location, options: options, logger: logger)
            logger.debug("committed", metadata: ["ms": elapsed()])
            try Compactor.compactIfWorthIt(committed: outcome.meta, database: database, location: location, logger: logger)
        }
        options.progress?(IndexProgress(phase: .done, done: plan.toRead.count, total: plan.toRead.count, path: nil))

        var skipped = [String: Int]()
        for reason in SkipReason.allCases { skipped[reason.rawValue] = plan.skipped[reason] ?? 0 }
        return IndexReport(
            root: root, store: location.directory, files: outcome.files, bytes: outcome.bytes, tokens: outcome.tokens,
            skipped: skipped, changed: outcome.changed, removed: outcome.removed, invalidUTF8: outcome.invalidUTF8,
            git: listing.usedGit, seconds: Date().timeIntervalSince(started))
    }

    /// Opens the store (rebuilding it when its context file cannot back its rows) and loads its state.
    private static func openState(root: String, location: StoreLocation, logger: Logger) throws -> (DatabaseQueue, IndexState) {
        var database = try StoreDatabase.openForWriting(location, logger: logger)
        var state = try database.read(IndexState.load)
        if let storeRoot = state.meta.root, storeRoot != root {
            throw StoreError.notWritable(path: location.directory, reason: "this store belongs to \(storeRoot)")
        }
        if let damage = state.contextFileDamage(location) {
            logger.warning("context file damaged (\(damage)); rebuilding the index")
            try database.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location.databasePath + suffix) }
            database = try StoreDatabase.openForWriting(location, logger: logger)
            state = try database.read(IndexState.load)
        }
        return (database, state)
    }

    /// Reads the planned files on a second thread while this one appends and inserts them.
    private static func write(plan: inout RefreshPlan, state: IndexState, database: DatabaseQueue, root: String,
                              location: StoreLocation, options: IndexOptions, logger: Logger) throws -> IndexWriter.Outcome {
        state.removeStrayContextFiles(location)
        let queue = BlockingQueue<PreparedFile>(capacity: 16 << 20)
        let toRead = plan.toRead
        let maxBytes = options.maxFileBytes
        let reader = Thread {
            for file in toRead {
                let prepared = FileReader.prepare(root: root, path: file.path, maxBytes: maxBytes)
                queue.push(prepared, weight: prepared.byteCount)
            }
            queue.finish()
        }
        reader.start()
        do {
            return try database.write { db in
                let records = try RecordWriter(db: db, location: location, meta: state.meta, logger: logger)
                do {
                    return try IndexWriter.apply(db: db, records: records, state: state, plan: &plan, queue: queue,
                                                 root: root, progress: options.progress)
                } catch {
                    records.abandon()
                    throw error
                }
            }
        } catch {
            queue.drainAfterFailure()
            throw error
        }
    }
}
