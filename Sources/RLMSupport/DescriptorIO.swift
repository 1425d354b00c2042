import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `read` and `write` on a file descriptor, retried when a signal interrupts them (EINTR), so
/// no caller writes that loop again.
public enum DescriptorIO {
    /// Writes all of `bytes`, with `pwrite` at `offset` when one is given; false when a write fails
    /// or writes nothing, `errno` saying why (EPIPE once a pipe's reader is gone).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int? = nil) -> Bool {
        var written = 0
        while written < bytes.count {
            let start = bytes.baseAddress! + written, rest = bytes.count - written
            let n = if let offset { pwrite(fd, start, rest, off_t(offset + written)) } else { write(fd, start, rest) }
            if n > 0 {
                written += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    public static func writeAll(_ fd: Int32, _ bytes: some ContiguousBytes, at offset: Int? = nil) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0, at: offset) }
    }

    /// One `read` into `buffer` (`pread` at `offset` when one is given): the count read, 0 at the
    /// end, -1 on an error other than EINTR, `errno` saying which.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int? = nil) -> Int {
        while true {
            let n = if let offset {
                pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            } else {
                Foundation.read(fd, buffer.baseAddress, buffer.count)
            }
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Reads `fd` to its end, or until `limit` bytes; nil on an error. EAGAIN (a descriptor opened
    /// with `O_NONBLOCK`) is retried like EINTR.
    public static func readAll(_ fd: Int32, limit: Int = .max) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: min(limit, 1 << 16))
        var count = 0
        while count < limit {
            if count == buffer.count {
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit - buffer.count)))
            }
            let n = buffer.withUnsafeMutableBytes { raw in read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[count...])) }
            if n < 0 {
                if errno == EAGAIN { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        buffer.removeSubrange(count...)
        return buffer
    }
}
