import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot's `context` as CPython's str holds it, kept beside the store's context file so that a
/// REPL maps it as the str's buffer instead of building the str (reading 100 MB into a str took
/// 60-100 ms, decoding non-ASCII UTF-8 in Python 6-16x that). An ASCII snapshot's copy is its bytes
/// (`.u8`); any other is UTF-16LE with each char above U+FFFF as one U+FFFD (`.u16`). After the text:
/// the str's NUL padded to 4 bytes, the widest char (UInt32), then the stand-ins: their count (Int64),
/// char offsets (Int64 each) and code points (UInt32 each), little-endian. Its name carries a
/// fingerprint of the records and the context file, so a refresh or compaction makes a new one (older
/// ones are removed); it is written under a temporary name and renamed, so concurrent REPLs agree.
enum ContextCopy {
    /// An open descriptor of the copy for `layout` (made here when there is none), or nil when it
    /// cannot be made: then the REPL reads the records of the context file.
    static func descriptor(for snapshot: ContextSnapshot, layout: ReplContext.Layout, durable: Bool = false) -> Int32? {
        let directory = snapshot.location.directory
        guard let name = fileName(snapshot: snapshot, layout: layout) else { return nil }
        let path = directory + "/" + name
        if let fd = openWhole(path, layout: layout) { return fd }
        // One writer per process: a REPL starting while the daemon makes the copy waits for it
        // instead of transcoding the same text beside it.
        writing.lock()
        defer { writing.unlock() }
        if let fd = openWhole(path, layout: layout) { return fd }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard ContextCopyWriter.write(snapshot.contextFile.bytes, layout: layout, to: temporary, durable: durable),
              rename(temporary, path) == 0 else {
            unlink(temporary)
            return nil
        }
        removeOthers(in: directory, keeping: name)
        return openWhole(path, layout: layout)
    }

    static let prefix = "context-copy-"
    /// The name of the 2-byte copies rlmd wrote before ASCII had one too: removed as older copies are.
    private static let formerPrefix = "context-bmp-"
    private static let writing = NSLock()
    /// In the name's fingerprint, so a copy of an older layout is never read as this one.
    private static let formatVersion = 5

    /// The copy at `path` when its size is what `layout` makes (text, an 8-byte gap, a stand-in
    /// table of 8 + 12 bytes per stand-in); one cut short (a crash before the kernel wrote it all) is
    /// removed, to be written again.
    private static func openWhole(_ path: String, layout: ReplContext.Layout) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        let text = layout.totalChars * (layout.allASCII ? 1 : 2)
        let table = fstat(fd, &st) == 0 ? Int(st.st_size) - text - 16 : -1
        if table >= 0, table % 12 == 0, !layout.allASCII || table == 0 { return fd }
        close(fd)
        unlink(path)
        return nil
    }

    /// The context file's identity (its inode, which appends and truncation keep; a compaction makes
    /// a new file) and the records: the text at those offsets of that file never changes.
    private static func fileName(snapshot: ContextSnapshot, layout: ReplContext.Layout) -> String? {
        var st = stat()
        guard snapshot.contextFileDescriptor >= 0, fstat(snapshot.contextFileDescriptor, &st) == 0 else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) {
            var value = value
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xff)) &* 0x100_0000_01b3
                value >>= 8
            }
        }
        [UInt64(formatVersion), UInt64(st.st_dev), UInt64(st.st_ino), UInt64(layout.totalChars)].forEach(mix)
        for record in layout.records { record.forEach { mix(UInt64(bitPattern: Int64($0))) } }
        return prefix + String(hash, radix: 16) + (layout.allASCII ? ".u8" : ".u16")
    }

    /// Copies older than the newest other one (a conversation over the previous snapshot may still
    /// start REPLs over it), an older rlmd's, and the temporary files of writers that died before
    /// renaming theirs.
    private static func removeOthers(in directory: String, keeping name: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        var others: [(name: String, modified: Int)] = []
        for other in names where (other.hasPrefix(prefix) || other.hasPrefix(formerPrefix)) && other != name {
            if other.hasPrefix(formerPrefix) {
                unlink(directory + "/" + other)
                continue
            }
            if let range = other.range(of: ".tmp-") {
                let writer = other[range.upperBound...].split(separator: "-").first.flatMap { pid_t($0) }
                if let writer, kill(writer, 0) != 0, errno == ESRCH { unlink(directory + "/" + other) }
                continue
            }
            var st = stat()
            guard stat(directory + "/" + other, &st) == 0 else { continue }
            others.append((other, st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec))
        }
        for old in others.sorted(by: { $0.modified > $1.modified }).dropFirst() {
            unlink(directory + "/" + old.name)
        }
    }
}

extension ReplContext {
    /// Makes the store's copy of this snapshot now, on disk before it returns, so that the first REPL
    /// over it maps the copy instead of writing it (100 MB of code: 0.3-1 s). The daemon calls this
    /// once its refreshes are quiet.
    /// False when there is nothing to make (a text context; exact text of a non-ASCII snapshot,
    /// which is built from the records) or it could not be made.
    @discardableResult
    public func prepareCopy(exactText: Bool) -> Bool {
        guard case .store(let snapshot) = self else { return false }
        let layout = layout()
        guard layout.usesCopy(exactText: exactText), let fd = ContextCopy.descriptor(for: snapshot, layout: layout, durable: true) else { return false }
        close(fd)
        return true
    }
}
