import Foundation
import GRDB
import Logging

/// Where a committed document's record lies: what removing it needs.
struct RecordLocation {
    var id: Int64
    var path: String
    var recordOffset: Int
    var recordBytes: Int
    var byteOffset: Int
    var byteLength: Int
    var recordChars: Int
    var hadInvalidUTF8: Bool

    var contentRange: Range<Int> { byteOffset..<(byteOffset + byteLength) }

    static let columns = "id, path, record_offset, record_bytes, byte_offset, byte_length, record_chars, invalid_utf8"

    /// Rows selected with `columns` first.
    static func fetchAll(_ db: Database, where condition: String = "1", arguments: StatementArguments = []) throws -> [RecordLocation] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM documents WHERE \(condition)", arguments: arguments).map {
            RecordLocation(id: $0[0], path: $0[1], recordOffset: $0[2], recordBytes: $0[3], byteOffset: $0[4],
                           byteLength: $0[5], recordChars: $0[6], hadInvalidUTF8: ($0[7] as Int) > 0)
        }
    }
}

/// Where a session message sits: its transcript and number (nil for files).
struct MessageFields: Sendable {
    var session: String
    var parentSession: String?
    var index: Int
    var message: SessionMessage
}

/// When a write transaction feeds the full-text index.
enum SearchIndexing {
    /// The shards take every change in the same refresh (workspaces: search is there when indexing ends).
    case inline
    /// Rows commit without touching the shards; the next search catches up (`SearchCatchUp`).
    /// Session imports defer, because FTS5 tokenising runs at a third of the speed of the rest.
    case deferred
}

/// The record-level half of a write transaction, shared by workspace and session refreshes:
/// appends records to the context file, inserts and deletes document rows, feeds the search
/// shards (or leaves them for later), and on `commit` fixes char offsets and commits the new
/// committed length.
final class RecordWriter {
    private let db: Database
    private let oldContext: MappedFile
    private let file: ContextFileWriter
    private let indexing: SearchIndexing
    private let shards: [SearchShardWriter]
    private let stamp = UUID().uuidString
    /// Committed rows the shards lack and must get before this refresh commits them: every
    /// row when the shards did not match (a rebuild), else those from `searchPendingFrom` on.
    private let catchUpFrom: Int64?
    private(set) var meta: StoreMeta
    private var firstAppendedID: Int64?
    private var firstRemovedOffset = Int.max
    private let insert: RawStatement
    private let delete: RawStatement
    private var rowText = RowText()

    init(db: Database, location: StoreLocation, meta: StoreMeta, search indexing: SearchIndexing = .inline,
         logger: Logger) throws {
        self.db = db
        self.meta = meta
        self.indexing = indexing
        let path = location.contextFilePath(generation: meta.generation)
        oldContext = try MappedFile(path: path, length: meta.contextBytes)
        file = try ContextFileWriter(path: path, committedLength: meta.contextBytes)
        insert = try RawStatement(db, """
            INSERT INTO documents (path, kind, record_offset, record_bytes, byte_offset, byte_length, record_chars,
                char_offset, char_length, line_count, sha256, mtime_ns, size, inode, language, tokens, invalid_utf8,
                indexed_at_ns, header_chars, session, parent_session, message_index, role, timestamp, tool_name, model,
                input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, uuid, parent_uuid, sidechain,
                source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        delete = try RawStatement(db, "DELETE FROM documents WHERE id = ?")
        switch indexing {
        case .inline:
            let (writers, rebuild) = SearchShards.startWriters(
                location, stamp: meta.searchStamp, newStamp: stamp, committedContext: oldContext, logger: logger)
            shards = writers
            catchUpFrom = rebuild ? Int64.min : meta.searchPendingFrom
        case .deferred:
            shards = []
            catchUpFrom = nil
        }
    }

    private func submit(_ job: SearchJob, id: Int64) {
        shards[SearchShards.shard(of: id)].submit(job)
    }

    /// Rolls the shard writers back after the rows' transaction failed.
    func abandon() {
        for shard in shards { shard.abort() }
    }

    func remove(_ record: RecordLocation) throws {
        switch indexing {
        case .inline:
            // A row the shards do not hold yet (pending or being rebuilt) has nothing to delete there.
            if let from = catchUpFrom, record.id >= from {} else {
                submit(.delete(id: record.id, path: record.path, text: record.contentRange), id: record.id)
            }
        case .deferred:
            // Deferred writers never open the shards; the next search rebuilds them instead.
            meta.searchStamp = nil
        }
        delete.bind(1, record.id)
        try delete.run()
        meta.totalChars -= record.recordChars
        meta.deadBytes += record.recordBytes
        meta.documents -= 1
        meta.contentBytes -= record.byteLength
        meta.tokens -= Document.estimateTokens(bytes: record.byteLength)
        if record.hadInvalidUTF8 { meta.invalidUTF8Documents -= 1 }
        firstRemovedOffset = min(firstRemovedOffset, record.recordOffset)
    }

    /// File facts of a workspace document.
    struct FileFields {
        var stat: FileStat
        var sha256: [UInt8]
        var indexedAt: Int64
    }

    /// Appends `header` + `text` (+ `\n` when missing) and inserts its row; returns the new id.
    @discardableResult
    func append(path: String, kind: String, header: String, text: DecodedText, file fileFields: FileFields?,
                message: MessageFields?) throws -> Int64 {
        var header = header
        let headerChars = header.unicodeScalars.count
        let recordOffset = try header.withUTF8 { try file.append(UnsafeRawBufferPointer($0)) }
        let byteOffset = try text.bytes.withUnsafeBytes { try file.append($0) }
        var recordBytes = header.utf8.count + text.bytes.count
        var recordChars = headerChars + text.scalarCount
        if text.bytes.last != UInt8(ascii: "\n") {
            try file.append("\n")
            recordBytes += 1
            recordChars += 1
        }
        for (column, value) in [recordOffset, recordBytes, byteOffset, text.bytes.count, recordChars,
                                meta.totalChars + headerChars, text.scalarCount, text.lineCount].enumerated() {
            insert.bind(Int32(3 + column), Int64(value))
        }
        rowText.stage(1, path)
        rowText.stage(2, kind)
        // Messages carry no digest: nothing compares them, and hashing took a third of an import.
        (fileFields?.sha256 ?? []).withUnsafeBytes { insert.bind(11, blob: $0) }
        insert.bind(12, fileFields?.stat.mtimeNanoseconds ?? 0)
        insert.bind(13, fileFields?.stat.size ?? Int64(text.bytes.count))
        insert.bind(14, Int64(bitPattern: fileFields?.stat.inode ?? 0))
        if fileFields != nil, let language = Language.of(path: path) { rowText.stage(15, language) }
        insert.bind(16, Int64(Document.estimateTokens(bytes: text.bytes.count)))
        insert.bind(17, Int64(text.invalidSequences))
        insert.bind(18, fileFields?.indexedAt ?? 0)
        insert.bind(19, Int64(headerChars))
        if let message { bind(message) }
        try rowText.bindAll(to: insert) { try insert.run() }
        let id = db.lastInsertedRowID
        if firstAppendedID == nil { firstAppendedID = id }
        switch indexing {
        case .inline: submit(.insert(id: id, path: path, text: .owned(text.bytes)), id: id)
        case .deferred: if meta.searchPendingFrom == nil { meta.searchPendingFrom = id }
        }
        meta.totalChars += recordChars
        meta.documents += 1
        meta.contentBytes += text.bytes.count
        meta.tokens += Document.estimateTokens(bytes: text.bytes.count)
        if text.invalidSequences > 0 { meta.invalidUTF8Documents += 1 }
        return id
    }

    private func bind(_ fields: MessageFields) {
        let message = fields.message
        rowText.stage(20, fields.session)
        if let parent = fields.parentSession { rowText.stage(21, parent) }
        insert.bind(22, Int64(fields.index))
        rowText.stage(23, message.role)
        if let timestamp = message.timestamp { rowText.stage(24, timestamp) }
        if let tool = message.toolName { rowText.stage(25, tool) }
        if let model = message.model { rowText.stage(26, model) }
        if let usage = message.usage {
            insert.bind(27, Int64(usage.input))
            insert.bind(28, Int64(usage.output))
            insert.bind(29, Int64(usage.cacheRead))
            insert.bind(30, Int64(usage.cacheCreation))
        }
        if let uuid = message.uuid { rowText.stage(31, uuid) }
        if let parent = message.parentUUID { rowText.stage(32, parent) }
        insert.bind(33, message.sidechain ? 1 : 0)
        insert.bind(34, Int64(message.sourceLine))
    }

    /// Fixes char offsets, syncs the context file, commits the shards, then saves the meta
    /// (committed length and search stamp) in the caller's transaction.
    func commit(root: String) throws -> StoreMeta {
        if firstRemovedOffset != .max { try Self.recomputeCharOffsets(db, after: firstRemovedOffset) }
        meta.root = root
        meta.contextBytes = file.length
        try file.sync()
        if indexing == .inline {
            try submitCatchUp()
            // The shards commit first; the rows then commit their stamp (see SearchShards).
            for shard in shards { try shard.finish() }
            meta.searchStamp = stamp
            meta.searchPendingFrom = nil
        }
        try meta.save(db)
        return meta
    }

    /// Sends the shards the committed rows they lack that this refresh kept. Rows appended by
    /// this refresh went in as they came; their ids are above every row committed before it.
    private func submitCatchUp() throws {
        guard let from = catchUpFrom else { return }
        let rows = try RawStatement(db, """
            SELECT id, path, byte_offset, byte_length FROM documents WHERE id >= ? AND id < ? ORDER BY id
            """)
        rows.bind(1, from)
        rows.bind(2, firstAppendedID ?? Int64.max)
        while try rows.step() {
            let id = rows.int64(0), offset = rows.int(2)
            submit(.insert(id: id, path: rows.text(1), text: .committed(offset..<(offset + rows.int(3)))), id: id)
        }
    }

    /// Re-derives the char offsets of the records after `offset` (where the first removed one was).
    static func recomputeCharOffsets(_ db: Database, after offset: Int) throws {
        var running = try Int.fetchOne(db, sql: "SELECT coalesce(sum(record_chars), 0) FROM documents WHERE record_offset < ?",
                                       arguments: [offset]) ?? 0
        let rows = try RawStatement(db, """
            SELECT id, header_chars, record_chars, char_offset FROM documents WHERE record_offset > ? ORDER BY record_offset
            """)
        rows.bind(1, Int64(offset))
        var updates: [(Int64, Int)] = []
        while try rows.step() {
            let expected = running + rows.int(1)
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
}

/// The text columns of one row, gathered in one reused buffer and bound in place
/// (SQLITE_STATIC): bound one by one, SQLite copied each into memory of its own, under a lock.
private struct RowText {
    private var bytes: [UInt8] = []
    private var columns: [(column: Int32, start: Int, count: Int)] = []

    mutating func stage(_ column: Int32, _ value: String) {
        let start = bytes.count
        bytes.append(contentsOf: value.utf8)
        columns.append((column, start, bytes.count - start))
    }

    /// Binds the staged columns, runs `body` while they stay valid, and empties the buffer.
    mutating func bindAll(to statement: RawStatement, _ body: () throws -> Void) rethrows {
        defer {
            bytes.removeAll(keepingCapacity: true)
            columns.removeAll(keepingCapacity: true)
        }
        try bytes.withUnsafeBytes { raw in
            for (column, start, count) in columns {
                statement.bind(column, utf8: UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
            }
            try body()
        }
    }
}
