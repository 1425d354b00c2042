import Foundation
import GRDB
import Logging

/// Builds and refreshes the index of one workspace root.
///
/// A run lists the workspace, re-reads only files whose `lstat` changed (or that changed too
/// recently to trust their mtime), appends their records to the context file, and commits the
/// new rows, FTS entries and committed length in one SQLite transaction. Readers keep seeing
/// the previous snapshot until that commit; a run killed at any point leaves that snapshot.
public enum Indexer {
    /// A file whose mtime is this close to the time it was indexed is re-read next time,
    /// because a write in the same clock tick would not change its mtime ("racy git").
    static let racyWindowNanoseconds: Int64 = 2_000_000_000

    public static func refresh(root: String, location: StoreLocation, options: IndexOptions = IndexOptions(),
                               logger: Logger = Logger(label: "rlmd.store")) throws -> IndexReport {
        let started = Date()
        do {
            try FileManager.default.createDirectory(atPath: location.directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.notWritable(path: location.directory, reason: (error as NSError).localizedDescription)
        }
        guard access(location.directory, W_OK) == 0 else {
            throw StoreError.notWritable(path: location.directory, reason: "permission denied")
        }
        let lock = try StoreLock(path: location.lockPath)
        defer { withExtendedLifetime(lock) {} }

        var pool = try StoreDatabase.openForWriting(location, logger: logger)
        var state = try pool.read(IndexState.load)
        if let storeRoot = state.meta.root, storeRoot != root {
            throw StoreError.notWritable(path: location.directory, reason: "this store belongs to \(storeRoot)")
        }
        if let damage = state.contextFileDamage(location) {
            logger.warning("context file damaged (\(damage)); rebuilding the index")
            try pool.close()
            try? FileManager.default.removeItem(atPath: location.databasePath)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location.databasePath + suffix) }
            pool = try StoreDatabase.openForWriting(location, logger: logger)
            state = try pool.read(IndexState.load)
        }
        state.removeStrayContextFiles(location)

        options.progress?(IndexProgress(phase: .listing, done: 0, total: 0, path: nil))
        let listing = WorkspaceScanner.list(root: root)
        var plan = RefreshPlan(listing: listing, state: state, maxBytes: options.maxFileBytes)

        let queue = BlockingQueue<PreparedFile>(capacity: 64)
        let toRead = plan.toRead
        let maxBytes = options.maxFileBytes
        let reader = Thread {
            for file in toRead { queue.push(FileReader.prepare(root: root, path: file.path, maxBytes: maxBytes)) }
            queue.finish()
        }
        reader.stackSize = 1 << 20
        reader.start()

        let writer = try IndexWriter(location: location, state: state)
        var outcome = IndexWriter.Outcome()
        do {
            outcome = try pool.write { db in
                try writer.apply(db: db, plan: &plan, queue: queue, root: root, progress: options.progress)
            }
        } catch {
            queue.drainAfterFailure()
            throw error
        }
        try Compactor.compactIfWorthIt(pool: pool, location: location, logger: logger)
        try? pool.writeWithoutTransaction { try $0.checkpoint(.passive) }
        options.progress?(IndexProgress(phase: .done, done: toRead.count, total: toRead.count, path: nil))

        var skipped = [String: Int]()
        for reason in SkipReason.allCases { skipped[reason.rawValue] = 0 }
        for (reason, count) in plan.skipped { skipped[reason.rawValue] = count }
        return IndexReport(
            root: root, store: location.directory, files: outcome.files, bytes: outcome.bytes, tokens: outcome.tokens,
            skipped: skipped, changed: outcome.changed, removed: outcome.removed, invalidUTF8: outcome.invalidUTF8,
            git: listing.usedGit, seconds: Date().timeIntervalSince(started))
    }
}

extension BlockingQueue {
    /// Lets the reader thread run to its end after the writer gave up.
    func drainAfterFailure() { while pop() != nil {} }
}
