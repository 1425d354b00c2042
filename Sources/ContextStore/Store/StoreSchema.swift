import GRDB

/// The index schema, versioned by GRDB's migrator. Add migrations; never edit a shipped one.
enum StoreSchema {
    /// `PRAGMA application_id` of an rlmd index ("RLMD"), so a foreign database is recognised.
    static let applicationID: Int32 = 0x524C_4D44

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-documents") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL);
                CREATE TABLE documents (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    record_offset INTEGER NOT NULL,
                    record_bytes INTEGER NOT NULL,
                    byte_offset INTEGER NOT NULL,
                    byte_length INTEGER NOT NULL,
                    record_chars INTEGER NOT NULL,
                    char_offset INTEGER NOT NULL,
                    char_length INTEGER NOT NULL,
                    line_count INTEGER NOT NULL,
                    sha256 BLOB NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    language TEXT,
                    tokens INTEGER NOT NULL,
                    invalid_utf8 INTEGER NOT NULL,
                    indexed_at_ns INTEGER NOT NULL,
                    header_chars INTEGER NOT NULL
                );
                CREATE INDEX documents_by_record_offset ON documents(record_offset);
                CREATE TABLE skipped (
                    path TEXT PRIMARY KEY NOT NULL,
                    reason TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL
                );
                """)
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        migrator.registerMigration("v2-sessions") { db in
            // Message metadata of session documents; NULL for files.
            for column in [
                "session TEXT", "parent_session TEXT", "message_index INTEGER", "role TEXT", "timestamp TEXT",
                "tool_name TEXT", "model TEXT", "input_tokens INTEGER", "output_tokens INTEGER",
                "cache_read_tokens INTEGER", "cache_creation_tokens INTEGER", "uuid TEXT", "parent_uuid TEXT",
                "sidechain INTEGER", "source_line INTEGER",
            ] {
                try db.execute(sql: "ALTER TABLE documents ADD COLUMN \(column)")
            }
            try db.execute(sql: """
                CREATE INDEX documents_by_session ON documents(session, message_index);
                CREATE TABLE session_sources (
                    path TEXT PRIMARY KEY NOT NULL,
                    format TEXT NOT NULL,
                    label TEXT NOT NULL,
                    session TEXT,
                    parent_session TEXT,
                    consumed_bytes INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    lines INTEGER NOT NULL,
                    next_index INTEGER NOT NULL,
                    stats TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    /// The secondary indexes of `documents` (name, columns), as the migrations made them. An
    /// import into an empty store drops them and builds them again at its end, in the same
    /// transaction: sorting once costs less than growing two more B-trees row by row.
    static let secondaryIndexes = [("documents_by_record_offset", "record_offset"), ("documents_by_session", "session, message_index")]

    static func dropSecondaryIndexes(_ db: Database) throws {
        for (name, _) in secondaryIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
    }

    static func createSecondaryIndexes(_ db: Database) throws {
        for (name, columns) in secondaryIndexes { try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(name) ON documents(\(columns))") }
    }
}
