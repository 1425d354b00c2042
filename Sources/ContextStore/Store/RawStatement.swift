import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the indexer's hot inserts:
/// document text is bound straight from our buffers, without a Swift `String` copy.
final class RawStatement {
    private var handle: OpaquePointer?
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        connection = db.sqliteConnection
        guard sqlite3_prepare_v2(connection, sql, -1, &handle, nil) == SQLITE_OK else {
            throw StoreError.database(String(cString: sqlite3_errmsg(connection)))
        }
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String) {
        // SQLITE_TRANSIENT: SQLite copies the temporary C string.
        sqlite3_bind_text(handle, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Binds UTF-8 bytes that stay valid until `run()` returns (SQLITE_STATIC).
    func bind(_ index: Int32, utf8 bytes: UnsafeRawBufferPointer) {
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer<CChar>(bitPattern: 1)
        if bytes.isEmpty {
            sqlite3_bind_text(handle, index, "", 0, nil)
        } else {
            sqlite3_bind_text(handle, index, base, Int32(bytes.count), nil)
        }
    }

    func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Advances to the next row; false when done (the statement is then reset).
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw StoreError.database(String(cString: sqlite3_errmsg(connection))) }
        return false
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }

    func run() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw StoreError.database(String(cString: sqlite3_errmsg(connection)))
        }
    }
}

extension RawStatement {
    func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        bindBlob(index, bytes)
    }
}
