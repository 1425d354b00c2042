#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line arithmetic over UTF-8 bytes with `memchr`; lines end at `\n` (a `\r` before it stays in the line).
enum LineIndex {
    /// Byte offset where 1-based `line` starts; `bytes.count` past the last line.
    static func byteOffset(ofLine line: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        guard line > 1, let base = bytes.baseAddress else { return 0 }
        var offset = 0
        var current = 1
        while current < line {
            guard let newline = memchr(base + offset, 0x0A, bytes.count - offset) else { return bytes.count }
            offset = base.distance(to: UnsafeRawPointer(newline)) + 1
            current += 1
        }
        return offset
    }

    /// The 1-based line holding `byte`, and the offset where that line starts.
    static func line(containingByte byte: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, start: Int) {
        guard let base = bytes.baseAddress else { return (1, 0) }
        var line = 1
        var start = 0
        while start < byte, let newline = memchr(base + start, 0x0A, byte - start) {
            start = base.distance(to: UnsafeRawPointer(newline)) + 1
            line += 1
        }
        return (line, start)
    }
}

extension LineIndex {
    static func newlines(in bytes: UnsafeRawBufferPointer) -> Int {
        guard var cursor = bytes.baseAddress else { return 0 }
        let end = cursor + bytes.count
        var count = 0
        while cursor < end, let newline = memchr(cursor, 0x0A, cursor.distance(to: end)) {
            count += 1
            cursor = UnsafeRawPointer(newline) + 1
        }
        return count
    }
}
