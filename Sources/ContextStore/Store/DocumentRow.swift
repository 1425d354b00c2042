import GRDB

extension Document {
    static let columns = """
        id, path, kind, record_offset, record_bytes, byte_offset, byte_length, record_chars, char_offset, \
        char_length, line_count, sha256, mtime_ns, size, inode, language, tokens, invalid_utf8, indexed_at_ns, \
        header_chars, session, message_index, role, timestamp, tool_name
        """

    /// A row of `documents`, with the fields only the indexer needs.
    init(row: Row) {
        let digest: [UInt8] = [UInt8](row["sha256"] as Data? ?? Data())
        self.init(
            id: row["id"], path: row["path"], kind: row["kind"],
            recordOffset: row["record_offset"], recordBytes: row["record_bytes"],
            byteOffset: row["byte_offset"], byteLength: row["byte_length"],
            recordChars: row["record_chars"], charOffset: row["char_offset"], charLength: row["char_length"],
            lineCount: row["line_count"], sha256: SHA256.hex(digest), mtimeNanoseconds: row["mtime_ns"],
            size: row["size"], language: row["language"], tokens: row["tokens"], invalidUTF8: row["invalid_utf8"],
            headerChars: row["header_chars"], session: row["session"], messageIndex: row["message_index"],
            role: row["role"], timestamp: row["timestamp"], toolName: row["tool_name"])
    }

    /// Documents in context order (the order of their records in the context file).
    static func fetchAllInContextOrder(_ db: Database) throws -> [Document] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM documents ORDER BY record_offset").map(Document.init(row:))
    }
}

import Foundation
