import GRDB

extension Document {
    private static let columns = """
        id, path, kind, record_offset, record_bytes, byte_offset, byte_length, record_chars, char_offset, \
        char_length, line_count, sha256, mtime_ns, size, language, tokens, invalid_utf8, \
        header_chars, session, message_index, role, timestamp, tool_name
        """

    /// Documents in context order (the order of their records in the context file). Columns are
    /// read by position through the C API: by name, through GRDB rows, a session of 350,000
    /// messages took 3.5 s to open.
    static func fetchAllInContextOrder(_ db: Database) throws -> [Document] {
        let rows = try RawStatement(db, "SELECT \(columns) FROM documents ORDER BY record_offset")
        var documents: [Document] = []
        while try rows.step() {
            documents.append(Document(
                id: rows.int64(0), path: rows.text(1), kind: rows.text(2),
                recordOffset: rows.int(3), recordBytes: rows.int(4), byteOffset: rows.int(5), byteLength: rows.int(6),
                recordChars: rows.int(7), charOffset: rows.int(8), charLength: rows.int(9), lineCount: rows.int(10),
                sha256: SHA256.hex(rows.blob(11)), mtimeNanoseconds: rows.int64(12), size: rows.int64(13),
                language: rows.optionalText(14), tokens: rows.int(15), invalidUTF8: rows.int(16), headerChars: rows.int(17),
                session: rows.optionalText(18), messageIndex: rows.isNull(19) ? nil : rows.int(19),
                role: rows.optionalText(20), timestamp: rows.optionalText(21), toolName: rows.optionalText(22)))
        }
        return documents
    }
}
