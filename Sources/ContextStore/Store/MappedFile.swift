#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a file's first `length` bytes. The mapping outlives the
/// file's directory entry, so a reader keeps its snapshot even after compaction unlinks it.
///
/// The file stays open (close-on-exec) for as long as the mapping, so a process that should read
/// the same snapshot (the REPL) can be handed `descriptor` instead of a path that may be gone
/// (-1 for an empty store without a file).
public final class MappedFile: @unchecked Sendable {  // immutable, and the mapping is read-only
    public let bytes: UnsafeRawBufferPointer
    public let descriptor: Int32

    public init(path: String, length: Int) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            guard length > 0 else {  // an empty store may have no context file yet
                descriptor = -1
                bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                return
            }
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
        guard Int(st.st_size) >= length else {
            close(fd)
            throw .damaged(path: path, reason: "context file has \(st.st_size) bytes, the index expects \(length)")
        }
        descriptor = fd
        guard length > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
        guard let address, address != MAP_FAILED else {
            close(fd)
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        if descriptor >= 0 { close(descriptor) }
    }

    public subscript(range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Unmaps the pages of `range` from this mapping only (they stay in the page cache, and a later
    /// read maps them again), so one pass over a large file does not leave all of it in our RSS.
    func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // Whole pages inside `range` only: the pages at its ends may hold bytes still to be read.
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard start < end else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
