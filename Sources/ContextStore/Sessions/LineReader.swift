import RLMSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads complete `\n`-terminated lines of a file from a byte offset, in bounded chunks.
enum LineReader {
    static let chunkBytes = 4 << 20

    /// Calls `body` with each complete line (without its `\n`) and the file offset just past it.
    /// An unterminated last line is passed too when `isComplete` says it is whole (a record the
    /// writer ended the file with); otherwise its bytes are returned, left for a later call.
    /// When `start` is inside a line (a whole last line taken before the writer ended it), the rest
    /// of that line is skipped if it is blank, so the line is not counted twice.
    static func forEachLine(path: String, from start: Int, isComplete: ((UnsafeRawBufferPointer) -> Bool)? = nil,
                            _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        var filled = 0           // bytes of buffer holding data
        var bufferOffset = start // file offset of buffer[0]
        var continuesLine = false
        if start > 0 {
            var previous: UInt8 = 0
            continuesLine = pread(fd, &previous, 1, off_t(start - 1)) == 1 && previous != 0x0A
        }
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }  // a line longer than the buffer
            let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), at: bufferOffset + filled) }
            if n < 0 { throw StoreError.io(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 {
                guard filled > 0, !continuesLine, let isComplete else { return filled }
                let taken = try buffer.withUnsafeBytes { raw in
                    let last = UnsafeRawBufferPointer(rebasing: raw[0..<filled])
                    guard isComplete(last) else { return false }
                    try body(last, bufferOffset + filled)
                    return true
                }
                return taken ? 0 : filled
            }
            filled += n
            var consumed = 0
            try buffer.withUnsafeBytes { raw in
                while consumed < filled, let newline = memchr(raw.baseAddress! + consumed, 0x0A, filled - consumed) {
                    let end = raw.baseAddress!.distance(to: UnsafeRawPointer(newline))
                    let line = UnsafeRawBufferPointer(rebasing: raw[consumed..<end])
                    if continuesLine {
                        continuesLine = false
                        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                            consumed = end + 1
                            continue
                        }
                    }
                    try body(line, bufferOffset + end + 1)
                    consumed = end + 1
                }
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
                bufferOffset += consumed
                if buffer.count > Self.chunkBytes && filled < Self.chunkBytes { buffer = Array(buffer[0..<Self.chunkBytes]) }
            }
        }
    }
}
