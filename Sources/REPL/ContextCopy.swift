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
    /// An open descriptor of the copy for `layout` (made here when `create`), or nil when there is
    /// none: then the REPL reads the records of the context file.
    static func descriptor(for snapshot: ContextSnapshot, layout: ReplContext.Layout, create: Bool = true) -> Int32? {
        let directory = snapshot.location.directory
        guard let name = fileName(snapshot: snapshot, layout: layout) else { return nil }
        let path = directory + "/" + name
        // One writer per process: a REPL starting while the daemon makes the copy waits for it
        // instead of transcoding the same text beside it.
        writing.lock()
        defer { writing.unlock() }
        let existing = open(path, O_RDONLY | O_CLOEXEC)
        if existing >= 0 || !create { return existing >= 0 ? existing : nil }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard ContextCopyWriter.write(snapshot.contextFile.bytes, layout: layout, to: temporary) else {
            unlink(temporary)
            return nil
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return nil
        }
        removeOthers(in: directory, keeping: name)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? fd : nil
    }

    static let prefix = "context-copy-"
    /// The name of the 2-byte copies rlmd wrote before ASCII had one too: removed as older copies are.
    private static let formerPrefix = "context-bmp-"
    private static let writing = NSLock()
    /// In the name's fingerprint, so a copy of an older layout is never read as this one.
    private static let formatVersion = 4

    private static func fileName(snapshot: ContextSnapshot, layout: ReplContext.Layout) -> String? {
        var st = stat()
        guard snapshot.contextFileDescriptor >= 0, fstat(snapshot.contextFileDescriptor, &st) == 0 else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: Int) {
            var value = UInt64(bitPattern: Int64(value))
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xff)) &* 0x100_0000_01b3
                value >>= 8
            }
        }
        [formatVersion, Int(st.st_dev), Int(st.st_ino), Int(st.st_size), layout.totalChars].forEach(mix)
        for record in layout.records { record.forEach(mix) }
        return prefix + String(hash, radix: 16) + (layout.allASCII ? ".u8" : ".u16")
    }

    /// Older copies, and the temporary files of writers that died before renaming theirs.
    private static func removeOthers(in directory: String, keeping name: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for other in names where (other.hasPrefix(prefix) || other.hasPrefix(formerPrefix)) && other != name {
            if let range = other.range(of: ".tmp-") {
                let writer = other[range.upperBound...].split(separator: "-").first.flatMap { pid_t($0) }
                guard let writer, kill(writer, 0) != 0, errno == ESRCH else { continue }
            }
            unlink(directory + "/" + other)
        }
    }
}

extension ReplContext {
    /// Makes the store's copy of this snapshot now, so that the first REPL over it maps the copy
    /// instead of writing it (100 MB of code: 0.3-1 s). The daemon calls this after each refresh.
    /// False when there is nothing to make (a text context; exact text of a non-ASCII snapshot,
    /// which is built from the records) or it could not be made.
    @discardableResult
    public func prepareCopy(exactText: Bool) -> Bool {
        guard case .store(let snapshot) = self else { return false }
        let layout = layout()
        guard layout.totalChars > 0, !exactText || layout.allASCII,
              let fd = ContextCopy.descriptor(for: snapshot, layout: layout) else { return false }
        close(fd)
        return true
    }
}
