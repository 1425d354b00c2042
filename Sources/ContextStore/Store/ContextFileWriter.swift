import RLMSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends records to a context file. Bytes below `committedLength` are never touched, so
/// readers of the last committed snapshot keep reading valid records while we write.
final class ContextFileWriter {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var length: Int
    private static let flushThreshold = 4 << 20

    /// Opens `path`, dropping whatever an interrupted run left after `committedLength`.
    init(path: String, committedLength: Int) throws(StoreError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .notWritable(path: path, reason: String(cString: strerror(errno))) }
        guard ftruncate(fd, off_t(committedLength)) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .notWritable(path: path, reason: reason)
        }
        descriptor = fd
        length = committedLength
        buffer.reserveCapacity(Self.flushThreshold + (1 << 20))
    }

    deinit { close(descriptor) }

    /// Appends `bytes`; returns the file offset they start at.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        let offset = length
        buffer.append(contentsOf: bytes)
        length += bytes.count
        if buffer.count >= Self.flushThreshold { try flush() }
        return offset
    }

    @discardableResult
    func append(_ string: String) throws -> Int {
        try Array(string.utf8).withUnsafeBytes { try append($0) }
    }

    func flush() throws(StoreError) {
        let fileOffset = length - buffer.count
        guard DescriptorIO.writeAll(descriptor, buffer, at: fileOffset) else {
            throw .notWritable(path: path, reason: String(cString: strerror(errno)))
        }
        // Starts writing these pages back now, so that `sync` at commit waits for the last few
        // megabytes instead of the whole import (a gigabyte took 0.6 s to sync). On Linux this
        // advice starts writeback of dirty pages and drops none of them (only clean ones go).
        _ = posix_fadvise(descriptor, off_t(fileOffset), off_t(buffer.count), POSIX_FADV_DONTNEED)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and forces the bytes to disk before the index that points at them commits.
    func sync() throws(StoreError) {
        try flush()
        guard fdatasync(descriptor) == 0 else { throw .notWritable(path: path, reason: String(cString: strerror(errno))) }
    }
}
