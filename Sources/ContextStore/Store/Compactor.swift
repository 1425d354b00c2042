import Foundation
import GRDB
import Logging

/// Rewrites the context file without the records of removed or changed documents, in path
/// order (messages in transcript order), as a new generation. The old file stays mapped by any reader that still uses it.
enum Compactor {
    /// Compact once dead records outweigh live ones (and are worth a rewrite), or pass 256 MiB.
    static func isWorthIt(dead: Int, live: Int) -> Bool {
        (dead > live && dead > 1 << 20) || dead > 256 << 20
    }

    /// `committed` is the meta the last refresh committed; only a compaction opens a transaction.
    static func compactIfWorthIt(committed: StoreMeta, database: some DatabaseWriter, location: StoreLocation, logger: Logger) throws {
        guard isWorthIt(dead: committed.deadBytes, live: committed.contextBytes - committed.deadBytes) else { return }
        let oldGeneration: Int? = try database.write { db in
            var meta = try StoreMeta.load(db)
            let old = try MappedFile(path: location.contextFilePath(generation: meta.generation), length: meta.contextBytes)
            let newPath = location.contextFilePath(generation: meta.generation + 1)
            let writer = try ContextFileWriter(path: newPath, committedLength: 0)
            let update = try RawStatement(db, "UPDATE documents SET record_offset = ?, byte_offset = ?, char_offset = ? WHERE id = ?")
            var chars = 0
            let rows = try Row.fetchAll(db, sql: "SELECT id, header_chars, record_offset, record_bytes, byte_offset, record_chars FROM documents ORDER BY session, message_index, path")
            for row in rows {
                let recordOffset: Int = row[2], recordBytes: Int = row[3], byteOffset: Int = row[4]
                let newOffset = try writer.append(old[recordOffset..<(recordOffset + recordBytes)])
                update.bind(1, Int64(newOffset))
                update.bind(2, Int64(newOffset + byteOffset - recordOffset))
                update.bind(3, Int64(chars + (row[1] as Int)))
                update.bind(4, row[0] as Int64)
                try update.run()
                chars += row[5] as Int
            }
            try writer.sync()
            logger.info("compacted the context file: \(meta.contextBytes) -> \(writer.length) bytes")
            meta.generation += 1
            meta.contextBytes = writer.length
            meta.deadBytes = 0
            meta.totalChars = chars
            try meta.save(db)
            return meta.generation - 1
        }
        if let oldGeneration {
            try? FileManager.default.removeItem(atPath: location.contextFilePath(generation: oldGeneration))
        }
    }
}
