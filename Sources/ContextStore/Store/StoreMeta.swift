import GRDB

/// The `meta` table's values: which context file is current and how much of it is committed.
struct StoreMeta: Equatable {
    var root: String?
    var generation = 1
    /// Committed length of the current context file; bytes past it are leftovers of a killed run.
    var contextBytes = 0
    /// Bytes of records that no document points at any more; compaction reclaims them.
    var deadBytes = 0
    var totalChars = 0
    /// The refresh whose full-text shards match these rows (see `SearchShards`).
    var searchStamp: String?
    /// The first document id the shards do not hold yet: imports that defer search leave it set,
    /// and the next search catches up (see `SearchCatchUp`). Nil when the shards hold every row.
    var searchPendingFrom: Int64?
    /// Running totals of the live documents, kept by `RecordWriter` so reports need no table scan.
    var documents = 0
    var contentBytes = 0
    var tokens = 0
    var invalidUTF8Documents = 0

    static func load(_ db: Database) throws -> StoreMeta {
        var meta = StoreMeta()
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
            let key: String = row["key"]
            switch key {
            case "root": meta.root = row["value"]
            case "generation": meta.generation = row["value"]
            case "context_bytes": meta.contextBytes = row["value"]
            case "dead_bytes": meta.deadBytes = row["value"]
            case "total_chars": meta.totalChars = row["value"]
            case "search_stamp": meta.searchStamp = row["value"]
            case "search_pending_from": meta.searchPendingFrom = row["value"]
            case "documents": meta.documents = row["value"]
            case "content_bytes": meta.contentBytes = row["value"]
            case "tokens": meta.tokens = row["value"]
            case "invalid_utf8_documents": meta.invalidUTF8Documents = row["value"]
            default: break
            }
        }
        return meta
    }

    func save(_ db: Database) throws {
        let values: [(String, (any DatabaseValueConvertible)?)] = [
            ("root", root), ("generation", generation), ("context_bytes", contextBytes),
            ("dead_bytes", deadBytes), ("total_chars", totalChars), ("search_stamp", searchStamp),
            ("search_pending_from", searchPendingFrom),
            ("documents", documents), ("content_bytes", contentBytes), ("tokens", tokens),
            ("invalid_utf8_documents", invalidUTF8Documents),
        ]
        for (key, value) in values {
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            }
        }
    }
}
