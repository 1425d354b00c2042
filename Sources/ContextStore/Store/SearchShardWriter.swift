import Foundation
import GRDB
import RLMSupport

/// What a shard writer is asked to do; texts are owned bytes or a range of the old context file.
enum SearchJob: Sendable {
    enum Text: Sendable {
        case owned([UInt8])
        case committed(Range<Int>)
    }
    case insert(id: Int64, path: String, text: Text)
    case delete(id: Int64, path: String, text: Range<Int>)
    /// Rolls the shard's transaction back instead of committing it.
    case abort
}

/// Writes one shard on its own thread, in one transaction: it opens the shard and reports the stamp
/// it holds (`waitUntilReady`), applies the jobs it is given, and commits on `finish()`.
final class SearchShardWriter: @unchecked Sendable {  // `batch`, `ended`: the one calling thread; the rest is synchronised
    /// Jobs travel in batches of about `batchBytes`: one queue hand-off per job cost more in
    /// thread wake-ups than the small messages of a session took to index.
    private let queue = BlockingQueue<[SearchJob]>(capacity: 16 << 20)
    private var batch: [SearchJob] = []
    private var batchWeight = 0
    private static let batchBytes = 1 << 20
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let shared = Shared()
    /// Set once `finish()` or `abort()` has waited for the thread (called from one thread only).
    private var ended = false

    private final class Shared: @unchecked Sendable {  // written by the thread before it signals `ready`/`done`, read after
        var error: (any Error)?
        var foundStamp: String?
    }

    private struct Aborted: Error {}

    init(path: String, stamp: String, committedContext: MappedFile) {
        let (queue, ready, done, shared) = (self.queue, self.ready, self.done, self.shared)
        let thread = Thread {
            var signalled = false
            defer { done.signal() }
            do {
                // A new shard is built without a journal (it is derived data: a run that dies leaves a
                // shard without the rows' stamp, which the next run rebuilds), then switched to WAL.
                let fresh = !FileManager.default.fileExists(atPath: path)
                let database = try DatabaseQueue(path: path, configuration: StoreDatabase.configuration(readOnly: false))
                try database.writeWithoutTransaction { db in
                    if fresh {
                        try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
                    } else if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                        try db.execute(sql: "PRAGMA journal_mode = WAL")
                    }
                    try SearchShards.createSchema(db)
                }
                defer {
                    if fresh { try? database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") } }
                }
                try database.write { db in
                    shared.foundStamp = try String.fetchOne(db, sql: "SELECT value FROM stamp WHERE key = 'refresh'")
                    ready.signal()
                    signalled = true
                    try Self.apply(queue: queue, db: db, committedContext: committedContext)
                    try db.execute(sql: "INSERT OR REPLACE INTO stamp (key, value) VALUES ('refresh', ?)", arguments: [stamp])
                }
            } catch {
                shared.error = error
                if !signalled { ready.signal() }
                queue.drainAfterFailure()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private static func apply(queue: BlockingQueue<[SearchJob]>, db: Database, committedContext: MappedFile) throws {
        let insert = try RawStatement(db, "INSERT INTO fts (rowid, path, body) VALUES (?, ?, ?)")
        let delete = try RawStatement(db, "INSERT INTO fts (fts, rowid, path, body) VALUES ('delete', ?, ?, ?)")
        // A rebuild or catch-up reads the whole committed context once, in file order: the mapping
        // is released behind it every 16 MiB, so it does not all stay in rlmd's RSS (released one
        // text at a time, the madvise calls cost half as much time again as the indexing).
        var releasedUpTo = 0
        while let jobs = queue.pop() {
          for job in jobs {
            let (statement, id, path, text): (RawStatement, Int64, String, SearchJob.Text)
            switch job {
            case .insert(let jobID, let jobPath, let jobText): (statement, id, path, text) = (insert, jobID, jobPath, jobText)
            case .delete(let jobID, let jobPath, let range): (statement, id, path, text) = (delete, jobID, jobPath, .committed(range))
            case .abort:
                throw Aborted()
            }
            statement.bind(1, id)
            statement.bind(2, path)
            switch text {
            case .owned(let bytes):
                try bytes.withUnsafeBytes { statement.bind(3, utf8: $0); try statement.run() }
            case .committed(let range):
                guard range.lowerBound >= 0, range.upperBound <= committedContext.bytes.count else {
                    throw StoreError.damaged(path: "search shard", reason: "record \(range) outside the committed context")
                }
                statement.bind(3, utf8: committedContext[range])
                try statement.run()
                if range.lowerBound - releasedUpTo >= 16 << 20 {
                    committedContext.release(releasedUpTo..<range.lowerBound)
                    releasedUpTo = range.lowerBound
                }
            }
          }
        }
    }

    /// Waits until the shard is open inside its transaction; returns the stamp it holds.
    func waitUntilReady() throws -> String? {
        ready.wait()
        if let error = shared.error { throw error }
        return shared.foundStamp
    }

    func submit(_ job: SearchJob) {
        batch.append(job)
        let weight = if case .insert(_, _, .owned(let bytes)) = job { bytes.count + 256 } else { 256 }
        batchWeight += weight
        if batchWeight >= Self.batchBytes { flush() }
    }

    private func flush() {
        guard !batch.isEmpty else { return }
        queue.push(batch, weight: batchWeight)
        batch = []
        batchWeight = 0
    }

    /// Waits for the shard's commit; rethrows its error.
    func finish() throws {
        if !ended {
            ended = true
            flush()
            queue.finish()
            done.wait()
        }
        if let error = shared.error { throw error }
    }

    /// Rolls the shard back and waits for its thread to end.
    func abort() {
        guard !ended else { return }
        ended = true
        batch = [.abort]
        batchWeight = 1
        flush()
        queue.finish()
        done.wait()
    }
}
