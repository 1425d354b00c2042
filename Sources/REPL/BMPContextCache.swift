import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// A non-ASCII snapshot's `context` as the 2-byte str holds it, kept beside the store's context
/// file so that a REPL reads it straight into the str's buffer as it reads ASCII (decoding the
/// UTF-8 in Python cost 6-16x the ASCII start), or maps it as the str's buffer. The file is the
/// UTF-16LE text in context order, each char above U+FFFF as one U+FFFD, the str's NUL padded to
/// 4 bytes, the widest char (UInt32), then the stand-ins: their count (Int64), char offsets (Int64 each) and code points
/// (UInt32 each), little-endian. Its name carries a fingerprint of
/// the records and the context file, so a refresh or compaction makes a new one (older ones are
/// removed); it is written under a temporary name and renamed, so concurrent REPLs agree.
enum BMPContextCache {
    /// An open descriptor of the file for `layout` (made on first use), or nil when it cannot be
    /// made: then the REPL decodes the UTF-8 as before.
    static func descriptor(for snapshot: ContextSnapshot, layout: ReplContext.Layout) -> Int32? {
        let directory = snapshot.location.directory
        guard let name = fileName(snapshot: snapshot, layout: layout) else { return nil }
        let path = directory + "/" + name
        // One writer per process: a REPL starting while the daemon makes the copy waits for it
        // instead of transcoding the same text beside it.
        writing.lock()
        defer { writing.unlock() }
        let existing = open(path, O_RDONLY | O_CLOEXEC)
        if existing >= 0 { return existing }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard write(snapshot.contextFile.bytes, layout: layout, to: temporary) else {
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

    static let prefix = "context-bmp-"
    private static let writing = NSLock()
    /// In the name's fingerprint, so a copy of an older layout is never read as this one.
    private static let formatVersion = 3

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
        return prefix + String(hash, radix: 16) + ".u16"
    }

    /// Transcodes the records in order; false when the text is not what the index says.
    private static func write(_ bytes: UnsafeRawBufferPointer, layout: ReplContext.Layout, to path: String) -> Bool {
        guard let out = FileOutput(path: path) else { return false }
        var offsets: [Int64] = [], scalars: [UInt32] = []
        var chars = 0, widest: UInt32 = 0x7F
        for record in layout.records {
            let (offset, length, charOffset) = (record[0], record[1], record[2])
            guard chars == charOffset, offset >= 0, length >= 0, offset + length <= bytes.count else { return false }
            var at = offset
            let end = offset + length
            while at < end {
                // Code is mostly ASCII: 8 bytes at a time while none has its high bit set.
                if at + 8 <= end {
                    let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    if word & 0x8080_8080_8080_8080 == 0 {
                        out.appendWidened(word)
                        chars += 8
                        at += 8
                        continue
                    }
                }
                let lead = UInt32(bytes[at])
                var scalar: UInt32, width: Int
                switch lead {
                case 0..<0x80: (scalar, width) = (lead, 1)
                case 0xC2..<0xE0: (scalar, width) = (lead & 0x1F, 2)
                case 0xE0..<0xF0: (scalar, width) = (lead & 0x0F, 3)
                case 0xF0..<0xF5: (scalar, width) = (lead & 0x07, 4)
                default: return false
                }
                guard at + width <= end else { return false }
                if width > 1 {
                    for next in 1..<width {
                        let byte = UInt32(bytes[at + next])
                        guard byte & 0xC0 == 0x80 else { return false }
                        scalar = scalar << 6 | (byte & 0x3F)
                    }
                }
                widest = max(widest, min(scalar, 0xFFFD))
                if scalar > 0xFFFF {
                    offsets.append(Int64(chars))
                    scalars.append(scalar)
                    out.append(UInt16(0xFFFD))
                } else {
                    out.append(UInt16(scalar))
                }
                chars += 1
                at += width
            }
        }
        guard chars == layout.totalChars else { return false }
        out.append(UInt32(0))  // the str's NUL and padding: a mapped str ends as CPython's do
        out.append(widest)  // below 0x100 the str must be 1-byte: CPython's strs are as narrow as their text
        out.append(Int64(offsets.count))
        offsets.forEach { out.append($0) }
        scalars.forEach { out.append($0) }
        return out.finish()
    }

    /// Older copies, and the temporary files of writers that died before renaming theirs.
    private static func removeOthers(in directory: String, keeping name: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for other in names where other.hasPrefix(prefix) && other != name {
            if let range = other.range(of: ".tmp-") {
                let writer = other[range.upperBound...].split(separator: "-").first.flatMap { pid_t($0) }
                guard let writer, kill(writer, 0) != 0, errno == ESRCH else { continue }
            }
            unlink(directory + "/" + other)
        }
    }
}

extension ReplContext {
    /// Makes the store's 2-byte copy of a non-ASCII snapshot now, so that the first REPL over it maps
    /// the copy instead of writing it (100 MB of code: 0.5-1 s). The daemon calls this after each
    /// refresh. False when there is nothing to make or it could not be made.
    @discardableResult
    public func prepareTwoByteCopy() -> Bool {
        guard case .store(let snapshot) = self else { return false }
        let layout = layout()
        guard !layout.allASCII, let fd = BMPContextCache.descriptor(for: snapshot, layout: layout) else { return false }
        close(fd)
        return true
    }
}

/// Little-endian values written through a 4 MiB buffer.
private final class FileOutput {
    private static let capacity = 4 << 20
    private let fd: Int32
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: FileOutput.capacity, alignment: 8)
    private var count = 0
    private var failed = false

    init?(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    @inline(__always)
    func append<T: FixedWidthInteger>(_ value: T) {
        if count + MemoryLayout<T>.size > Self.capacity { flush() }
        buffer.storeBytes(of: value.littleEndian, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    /// Eight ASCII bytes (little-endian in `word`) as eight UTF-16LE units.
    @inline(__always)
    func appendWidened(_ word: UInt64) {
        if count + 16 > Self.capacity { flush() }
        let low = word & 0xFFFF_FFFF, high = word >> 32
        buffer.storeBytes(of: Self.widen(low).littleEndian, toByteOffset: count, as: UInt64.self)
        buffer.storeBytes(of: Self.widen(high).littleEndian, toByteOffset: count + 8, as: UInt64.self)
        count += 16
    }

    /// Four bytes in the low half of `value`, each moved into its own 16-bit lane.
    @inline(__always)
    private static func widen(_ value: UInt64) -> UInt64 {
        var x = (value | value << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        return x
    }

    private func flush() {
        if !failed { failed = !DescriptorIO.writeAll(fd, UnsafeRawBufferPointer(start: buffer, count: count)) }
        count = 0
    }

    func finish() -> Bool {
        flush()
        return !failed
    }
}
