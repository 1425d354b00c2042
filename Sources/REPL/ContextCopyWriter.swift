import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// Writes a `ContextCopy`: the records in context order as the str's text, then its trailer.
enum ContextCopyWriter {
    /// False when the text is not what the index says (or the file cannot be written). `durable`:
    /// on disk before this returns, so that a crash cannot leave a renamed copy of the right size
    /// holding zeros (worth its time only off the critical path: the daemon's copies).
    static func write(_ bytes: UnsafeRawBufferPointer, layout: ReplContext.Layout, to path: String, durable: Bool = false) -> Bool {
        guard let out = FileOutput(path: path) else { return false }
        let written = layout.allASCII ? copyASCII(bytes, layout: layout, to: out) : transcode(bytes, layout: layout, to: out)
        return written && out.finish(sync: durable)
    }

    /// An ASCII snapshot's records as they are, then an empty stand-in table.
    private static func copyASCII(_ bytes: UnsafeRawBufferPointer, layout: ReplContext.Layout, to out: FileOutput) -> Bool {
        var chars = 0
        for record in layout.records {
            let (offset, length, charOffset, count) = (record[0], record[1], record[2], record[3])
            guard chars == charOffset, length == count, offset >= 0, offset + length <= bytes.count else { return false }
            out.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
            chars += length
        }
        guard chars == layout.totalChars else { return false }
        appendTrailer(to: out, widest: 0x7F, offsets: [], scalars: [])
        return true
    }

    /// A non-ASCII snapshot's records as UTF-16LE with the stand-ins in, then their table.
    private static func transcode(_ bytes: UnsafeRawBufferPointer, layout: ReplContext.Layout, to out: FileOutput) -> Bool {
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
        appendTrailer(to: out, widest: widest, offsets: offsets, scalars: scalars)
        return true
    }

    /// After the text: the str's NUL padded to 4 bytes (a mapped str ends as CPython's do), the
    /// widest char (below 0x100 the str must be 1-byte: CPython's strs are as narrow as their text),
    /// then the stand-ins' table.
    private static func appendTrailer(to out: FileOutput, widest: UInt32, offsets: [Int64], scalars: [UInt32]) {
        out.append(UInt32(0))
        out.append(widest)
        out.append(Int64(offsets.count))
        offsets.forEach { out.append($0) }
        scalars.forEach { out.append($0) }
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

    func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            if count == Self.capacity { flush() }
            let n = min(rest.count, Self.capacity - count)
            (buffer + count).copyMemory(from: rest.baseAddress!, byteCount: n)
            count += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
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

    func finish(sync: Bool) -> Bool {
        flush()
        if sync, !failed { failed = fsync(fd) != 0 }
        return !failed
    }
}
