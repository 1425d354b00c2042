import Foundation
import GRDB
import Logging

/// The body of a refresh's one write transaction: removes stale documents, appends new
/// records, keeps FTS and char offsets in step, and commits the context file's new length.
final class IndexWriter {
    struct Outcome {
        var files = 0, bytes = 0, tokens = 0, changed = 0, removed = 0, invalidUTF8 = 0
        var meta = StoreMeta()

        init() {}

        /// The totals of an index that a refresh found up to date.
        init(unchanged state: IndexState) {
            meta = state.meta
            files = state.files.count
            for file in state.files.values {
                bytes += file.byteLength
                tokens += file.tokens
                if file.invalidUTF8 > 0 { invalidUTF8 += 1 }
            }
        }
    }

    private let location: StoreLocation
    private let state: IndexState
    private let oldContext: MappedFile
    private let file: ContextFileWriter
    private let shards: [SearchShardWriter]
    private let stamp = UUID().uuidString
    /// The shards did not match the rows: every live document goes into fresh ones.
    private let rebuildingSearch: Bool

    init(location: StoreLocation, state: IndexState, logger: Logger) throws(StoreError) {
        self.location = location
        self.state = state
        let path = location.contextFilePath(generation: state.meta.generation)
        oldContext = try MappedFile(path: path, length: state.meta.contextBytes)
        file = try ContextFileWriter(path: path, committedLength: state.meta.contextBytes)
        (shards, rebuildingSearch) = SearchShards.startWriters(
            location, stamp: state.meta.searchStamp, newStamp: stamp, committedContext: oldContext, logger: logger)
    }

    private func submit(_ job: SearchJob, id: Int64) {
        shards[SearchShards.shard(of: id)].submit(job)
    }

    /// Rolls the shard writers back after the rows' transaction failed.
    func abandon() {
        for shard in shards { shard.abort() }
    }

    func apply(db: Database, plan: inout RefreshPlan, queue: BlockingQueue<PreparedFile>, root: String,
               progress: (@Sendable (IndexProgress) -> Void)?) throws -> Outcome {
        let statements = try Statements(db)
        var meta = state.meta
        var outcome = Outcome()
        var firstRemovedOffset = Int.max
        let now = Int64(Date().timeIntervalSince1970 * 1e9)

        var gone = Set<Int64>()
        func remove(_ indexed: IndexedFile) throws {
            if !rebuildingSearch {
                submit(.delete(id: indexed.id, path: indexed.path, text: indexed.byteOffset..<(indexed.byteOffset + indexed.byteLength)), id: indexed.id)
            }
            gone.insert(indexed.id)
            statements.deleteDocument.bind(1, indexed.id)
            try statements.deleteDocument.run()
            meta.totalChars -= indexed.recordChars
            meta.deadBytes += indexed.recordBytes
            firstRemovedOffset = min(firstRemovedOffset, indexed.recordOffset)
        }

        for path in plan.removedPaths {
            if let indexed = state.files[path] { try remove(indexed) }
            outcome.removed += 1
        }

        var done = 0
        let total = plan.toRead.count
        var binaryPaths = plan.keptBinaryPaths
        while let prepared = queue.pop() {
            done += 1
            progress?(IndexProgress(phase: .reading, done: done, total: total, path: prepared.path))
            let existing = state.files[prepared.path]
            switch prepared.outcome {
            case .skipped(let reason):
                plan.skipped[reason, default: 0] += 1
                if reason == .binary {
                    binaryPaths.insert(prepared.path)
                    try statements.upsertSkipped(prepared.path, reason, prepared.stat)
                }
                if let existing {
                    try remove(existing)
                    outcome.removed += 1
                }
            case .text(let decoded, let digest):
                let indexedAt = prepared.changedWhileReading ? 0 : now
                if let existing, existing.sha256 == digest {
                    try statements.touch(existing.id, prepared.stat, indexedAt: indexedAt)
                    continue
                }
                if let existing { try remove(existing) }
                try append(prepared, decoded, digest, indexedAt: indexedAt, meta: &meta, statements: statements)
                outcome.changed += 1
            }
        }
        outcome.changed += outcome.removed

        for path in state.skippedCache.keys where !binaryPaths.contains(path) {
            try db.execute(sql: "DELETE FROM skipped WHERE path = ?", arguments: [path])
        }
        if rebuildingSearch {
            for indexed in state.files.values where !gone.contains(indexed.id) {
                let text = SearchJob.Text.committed(indexed.byteOffset..<(indexed.byteOffset + indexed.byteLength))
                submit(.insert(id: indexed.id, path: indexed.path, text: text), id: indexed.id)
            }
        }
        if firstRemovedOffset != .max { try Self.recomputeCharOffsets(db, after: firstRemovedOffset) }
        meta.root = root
        meta.contextBytes = file.length
        meta.searchStamp = stamp
        try file.sync()
        // The shards commit first; the rows then commit their stamp (see SearchShards).
        for shard in shards { try shard.finish() }
        try meta.save(db)

        let totals = try Row.fetchOne(db, sql: """
            SELECT count(*), coalesce(sum(byte_length), 0), coalesce(sum(tokens), 0),
                   coalesce(sum(invalid_utf8 > 0), 0) FROM documents
            """)!
        outcome.files = totals[0]
        outcome.bytes = totals[1]
        outcome.tokens = totals[2]
        outcome.invalidUTF8 = totals[3]
        outcome.meta = meta
        return outcome
    }

    private func append(_ prepared: PreparedFile, _ decoded: DecodedText, _ digest: [UInt8], indexedAt: Int64,
                        meta: inout StoreMeta, statements: Statements) throws {
        let header = Document.header(path: prepared.path)
        let headerChars = Document.headerChars(path: prepared.path)
        let recordOffset = try file.append(header)
        let byteOffset = try decoded.bytes.withUnsafeBytes { try file.append($0) }
        var recordBytes = header.utf8.count + decoded.bytes.count
        var recordChars = headerChars + decoded.scalarCount
        if decoded.bytes.last != UInt8(ascii: "\n") {
            try file.append("\n")
            recordBytes += 1
            recordChars += 1
        }
        let insert = statements.insertDocument
        insert.bind(1, prepared.path)
        insert.bind(2, "file")
        insert.bind(3, Int64(recordOffset))
        insert.bind(4, Int64(recordBytes))
        insert.bind(5, Int64(byteOffset))
        insert.bind(6, Int64(decoded.bytes.count))
        insert.bind(7, Int64(recordChars))
        insert.bind(8, Int64(meta.totalChars + headerChars))
        insert.bind(9, Int64(decoded.scalarCount))
        insert.bind(10, Int64(decoded.lineCount))
        digest.withUnsafeBytes { insert.bind(11, blob: $0) }
        insert.bind(12, prepared.stat.mtimeNanoseconds)
        insert.bind(13, prepared.stat.size)
        insert.bind(14, Int64(bitPattern: prepared.stat.inode))
        if let language = Language.of(path: prepared.path) { insert.bind(15, language) }
        insert.bind(16, Int64(Document.estimateTokens(bytes: decoded.bytes.count)))
        insert.bind(17, Int64(decoded.invalidSequences))
        insert.bind(18, indexedAt)
        try insert.run()
        let id = statements.lastInsertedRowID
        submit(.insert(id: id, path: prepared.path, text: .owned(decoded.bytes)), id: id)
        meta.totalChars += recordChars
    }

    /// Re-derives the char offsets of the records after `offset` (where the first removed one was).
    static func recomputeCharOffsets(_ db: Database, after offset: Int) throws {
        var running = try Int.fetchOne(db, sql: "SELECT coalesce(sum(record_chars), 0) FROM documents WHERE record_offset < ?",
                                       arguments: [offset]) ?? 0
        let rows = try RawStatement(db, "SELECT id, path, record_chars, char_offset FROM documents WHERE record_offset > ? ORDER BY record_offset")
        rows.bind(1, Int64(offset))
        var updates: [(Int64, Int)] = []
        while try rows.step() {
            let expected = running + Document.headerChars(path: rows.text(1))
            if expected != rows.int(3) { updates.append((rows.int64(0), expected)) }
            running += rows.int(2)
        }
        let update = try RawStatement(db, "UPDATE documents SET char_offset = ? WHERE id = ?")
        for (id, charOffset) in updates {
            update.bind(1, Int64(charOffset))
            update.bind(2, id)
            try update.run()
        }
    }

    /// The statements a refresh runs once per file.
    private struct Statements {
        let insertDocument: RawStatement
        let deleteDocument: RawStatement
        let touchDocument: RawStatement
        let db: Database

        init(_ db: Database) throws {
            self.db = db
            insertDocument = try RawStatement(db, """
                INSERT INTO documents (path, kind, record_offset, record_bytes, byte_offset, byte_length, record_chars,
                    char_offset, char_length, line_count, sha256, mtime_ns, size, inode, language, tokens,
                    invalid_utf8, indexed_at_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            deleteDocument = try RawStatement(db, "DELETE FROM documents WHERE id = ?")
            touchDocument = try RawStatement(db, "UPDATE documents SET mtime_ns = ?, size = ?, inode = ?, indexed_at_ns = ? WHERE id = ?")
        }

        var lastInsertedRowID: Int64 { db.lastInsertedRowID }

        func touch(_ id: Int64, _ stat: FileStat, indexedAt: Int64) throws {
            touchDocument.bind(1, stat.mtimeNanoseconds)
            touchDocument.bind(2, stat.size)
            touchDocument.bind(3, Int64(bitPattern: stat.inode))
            touchDocument.bind(4, indexedAt)
            touchDocument.bind(5, id)
            try touchDocument.run()
        }

        func upsertSkipped(_ path: String, _ reason: SkipReason, _ stat: FileStat) throws {
            try db.execute(
                sql: "INSERT OR REPLACE INTO skipped (path, reason, size, mtime_ns, inode) VALUES (?, ?, ?, ?, ?)",
                arguments: [path, reason.rawValue, stat.size, stat.mtimeNanoseconds, Int64(bitPattern: stat.inode)])
        }
    }
}
