import Foundation
import GRDB
import Logging

/// Opens the SQLite index of a store, recognising a damaged or foreign file.
public enum StoreDatabase {
    static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.label = "rlmd.store"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Opens for writing (the caller holds the store lock). A file that is not an rlmd index,
    /// or that SQLite reports damaged, is moved aside and a new index started in its place.
    static func openForWriting(_ location: StoreLocation, logger: Logger) throws -> DatabaseQueue {
        do {
            return try openAndMigrate(location)
        } catch {
            guard FileManager.default.fileExists(atPath: location.databasePath) else { throw error }
            let aside = moveAside(location)
            logger.warning("index at \(location.databasePath) could not be used (\(describe(error))); moved to \(aside), rebuilding")
            return try openAndMigrate(location)
        }
    }

    /// One connection: the writer needs no concurrent readers of its own, and opening a pool costs more.
    private static func openAndMigrate(_ location: StoreLocation) throws -> DatabaseQueue {
        let pool = try DatabaseQueue(path: location.databasePath, configuration: configuration(readOnly: false))
        try pool.writeWithoutTransaction { db in
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
        }
        try pool.write { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            if applicationID != StoreSchema.applicationID && tableCount > 0 {
                throw StoreError.damaged(path: location.databasePath, reason: "not an rlmd index")
            }
        }
        let migrator = StoreSchema.migrator
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
            throw StoreError.damaged(path: location.databasePath, reason: "written by a newer rlmd")
        }
        try migrator.migrate(pool)
        return pool
    }

    /// Opens for reading; never repairs (that needs the writer's lock). One connection: readers
    /// read their rows once and keep nothing open.
    static func openForReading(_ location: StoreLocation) throws(StoreError) -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            throw .noIndex(path: location.directory)
        }
        do {
            let pool = try DatabaseQueue(path: location.databasePath, configuration: configuration(readOnly: true))
            let ok = try pool.read { db in
                try Int32.fetchOne(db, sql: "PRAGMA application_id") == StoreSchema.applicationID
                    && StoreSchema.migrator.hasCompletedMigrations(db)
            }
            guard ok else { throw StoreError.damaged(path: location.databasePath, reason: "not a complete rlmd index") }
            return pool
        } catch let error as StoreError {
            throw error
        } catch {
            throw .damaged(path: location.databasePath, reason: describe(error))
        }
    }

    /// The workspace root (or session file) a store indexes, without loading its documents.
    public static func root(of location: StoreLocation) throws(StoreError) -> String {
        let database = try openForReading(location)
        do {
            return try database.read { try StoreMeta.load($0).root } ?? ""
        } catch {
            throw .damaged(path: location.databasePath, reason: describe(error))
        }
    }

    /// Renames the database (and its WAL files) to `index.sqlite.damaged-<time>`; returns the new path.
    private static func moveAside(_ location: StoreLocation) -> String {
        let stamp = Int(Date().timeIntervalSince1970)
        let aside = "\(location.databasePath).damaged-\(stamp)"
        for suffix in ["", "-wal", "-shm"] {
            let from = location.databasePath + suffix
            guard FileManager.default.fileExists(atPath: from) else { continue }
            try? FileManager.default.removeItem(atPath: aside + suffix)
            try? FileManager.default.moveItem(atPath: from, toPath: aside + suffix)
        }
        return aside
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
