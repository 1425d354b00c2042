import Foundation
import GRDB

/// A document as the indexer sees it: enough to decide whether it changed and to remove it.
struct IndexedFile {
    var location: RecordLocation
    var size: Int64
    var mtimeNanoseconds: Int64
    var inode: UInt64
    var indexedAtNanoseconds: Int64
    var sha256: [UInt8]

    func isUnchanged(_ stat: FileStat) -> Bool {
        stat.size == size && stat.mtimeNanoseconds == mtimeNanoseconds && stat.inode == inode
            && indexedAtNanoseconds - mtimeNanoseconds > Indexer.racyWindowNanoseconds
    }
}

/// The committed state a refresh starts from.
struct IndexState {
    var meta: StoreMeta
    var files: [String: IndexedFile]
    /// Binary files seen before, so an unchanged binary is not read again.
    var skippedCache: [String: (reason: SkipReason, stat: FileStat)]

    static func load(_ db: Database) throws -> IndexState {
        var files = [String: IndexedFile]()
        let rows = try RawStatement(db, """
            SELECT id, path, size, mtime_ns, inode, indexed_at_ns, sha256, record_offset, record_bytes,
                   byte_offset, byte_length, record_chars, invalid_utf8 FROM documents
            """)
        while try rows.step() {
            let location = RecordLocation(
                id: rows.int64(0), path: rows.text(1), recordOffset: rows.int(7), recordBytes: rows.int(8),
                byteOffset: rows.int(9), byteLength: rows.int(10), recordChars: rows.int(11), hadInvalidUTF8: rows.int(12) > 0)
            files[location.path] = IndexedFile(
                location: location, size: rows.int64(2), mtimeNanoseconds: rows.int64(3),
                inode: UInt64(bitPattern: rows.int64(4)), indexedAtNanoseconds: rows.int64(5), sha256: rows.blob(6))
        }
        var skipped = [String: (reason: SkipReason, stat: FileStat)]()
        for row in try Row.fetchAll(db, sql: "SELECT path, reason, size, mtime_ns, inode FROM skipped") {
            guard let reason = SkipReason(rawValue: row[1]) else { continue }
            skipped[row[0]] = (reason, FileStat(kind: .regular, size: row[2], mtimeNanoseconds: row[3],
                                                inode: UInt64(bitPattern: row[4])))
        }
        return IndexState(meta: try StoreMeta.load(db), files: files, skippedCache: skipped)
    }

    /// Why the current context file cannot back the committed rows, or nil when it can.
    func contextFileDamage(_ location: StoreLocation) -> String? {
        guard meta.contextBytes > 0 else { return nil }
        let path = location.contextFilePath(generation: meta.generation)
        guard let stat = FileStat.of(path: path) else { return "\(path) is missing" }
        if stat.size < meta.contextBytes { return "\(path) has \(stat.size) bytes, expected \(meta.contextBytes)" }
        return nil
    }

    /// Deletes context files of other generations: leftovers of a compaction that was interrupted or completed.
    func removeStrayContextFiles(_ location: StoreLocation) {
        let current = (location.contextFilePath(generation: meta.generation) as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: location.directory) else { return }
        for name in names where name.hasPrefix("context-") && name.hasSuffix(".txt") && name != current {
            try? FileManager.default.removeItem(atPath: "\(location.directory)/\(name)")
        }
    }
}

/// What a refresh must do, decided from the listing and the committed state before any file is read.
struct RefreshPlan {
    var toRead: [ListedFile] = []
    var removedPaths: [String] = []
    var skipped: [SkipReason: Int]
    /// Binary files whose cache entry still holds.
    var keptBinaryPaths = Set<String>()

    init(listing: WorkspaceListing, state: IndexState, maxBytes: Int) {
        skipped = listing.skipped
        var kept: [String] = []
        for file in listing.files {
            if let indexed = state.files[file.path] {
                if file.stat.size > maxBytes {
                    skipped[.tooLarge, default: 0] += 1
                    continue
                }
                kept.append(file.path)
                if !indexed.isUnchanged(file.stat) { toRead.append(file) }
            } else if let cached = state.skippedCache[file.path], cached.reason == .binary,
                      cached.stat.size == file.stat.size, cached.stat.mtimeNanoseconds == file.stat.mtimeNanoseconds,
                      cached.stat.inode == file.stat.inode {
                skipped[.binary, default: 0] += 1
                keptBinaryPaths.insert(file.path)
            } else if file.stat.size > maxBytes {
                skipped[.tooLarge, default: 0] += 1
            } else {
                toRead.append(file)
            }
        }
        // Paths are listed once each, so when every indexed path was kept nothing was removed.
        if kept.count != state.files.count {
            let keptSet = Set(kept)
            removedPaths = state.files.keys.filter { !keptSet.contains($0) }.sorted()
        }
        isNoOp = toRead.isEmpty && removedPaths.isEmpty && state.meta.root != nil
            && state.skippedCache.keys.allSatisfy(keptBinaryPaths.contains)
    }

    /// Nothing to read, remove or forget: the committed index already describes the workspace.
    private(set) var isNoOp = false
}
