import Foundation
import GRDB
import RLMSupport

/// The workspace half of a refresh's write transaction: consumes the files the reader thread
/// prepared and turns them into removals and appends on a `RecordWriter`.
enum IndexWriter {
    struct Outcome {
        var files = 0, bytes = 0, tokens = 0, changed = 0, removed = 0, invalidUTF8 = 0
        var meta = StoreMeta()

        init(meta: StoreMeta) {
            self.meta = meta
            files = meta.documents
            bytes = meta.contentBytes
            tokens = meta.tokens
            invalidUTF8 = meta.invalidUTF8Documents
        }
    }

    static func apply(db: Database, records: RecordWriter, state: IndexState, plan: inout RefreshPlan,
                      queue: BlockingQueue<PreparedFile>, root: String,
                      progress: (@Sendable (IndexProgress) -> Void)?) throws -> Outcome {
        var changed = 0, removed = 0
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let touch = try RawStatement(db, "UPDATE documents SET mtime_ns = ?, size = ?, inode = ?, indexed_at_ns = ? WHERE id = ?")

        for path in plan.removedPaths {
            if let indexed = state.files[path] { try records.remove(indexed.location) }
            removed += 1
        }

        var done = 0
        var binaryPaths = plan.keptBinaryPaths
        while let prepared = queue.pop() {
            done += 1
            progress?(IndexProgress(phase: .reading, done: done, total: plan.toRead.count, path: prepared.path))
            let existing = state.files[prepared.path]
            switch prepared.outcome {
            case .skipped(let reason):
                plan.skipped[reason, default: 0] += 1
                if reason == .binary {
                    binaryPaths.insert(prepared.path)
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO skipped (path, reason, size, mtime_ns, inode) VALUES (?, ?, ?, ?, ?)",
                        arguments: [prepared.path, reason.rawValue, prepared.stat.size, prepared.stat.mtimeNanoseconds,
                                    Int64(bitPattern: prepared.stat.inode)])
                }
                if let existing {
                    try records.remove(existing.location)
                    removed += 1
                }
            case .text(let decoded, let digest):
                let indexedAt = prepared.changedWhileReading ? 0 : now
                if let existing, existing.sha256 == digest {
                    for (index, value) in [prepared.stat.mtimeNanoseconds, prepared.stat.size,
                                           Int64(bitPattern: prepared.stat.inode), indexedAt, existing.location.id].enumerated() {
                        touch.bind(Int32(index + 1), value)
                    }
                    try touch.run()
                    continue
                }
                if let existing { try records.remove(existing.location) }
                try records.append(
                    path: prepared.path, kind: "file", header: Document.header(path: prepared.path), text: decoded,
                    file: .init(stat: prepared.stat, sha256: digest, indexedAt: indexedAt), message: nil)
                changed += 1
            }
        }

        for path in state.skippedCache.keys where !binaryPaths.contains(path) {
            try db.execute(sql: "DELETE FROM skipped WHERE path = ?", arguments: [path])
        }
        var outcome = Outcome(meta: try records.commit(root: root))
        outcome.changed = changed + removed
        outcome.removed = removed
        return outcome
    }
}
