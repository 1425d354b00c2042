import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-delimited messages from a descriptor on its own thread; the stream ends at
/// EOF (or after a line longer than `maxLine`, which no well-behaved runtime sends). Closes
/// the descriptor at the end.
enum MessageReader {
    static let maxLine = 512 << 20

    static func start(_ fd: Int32, name: String) -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .unbounded)
        let thread = Thread {
            defer {
                close(fd)
                continuation.finish()
            }
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(fd, into: $0) }
                guard n > 0 else { return }
                var start = 0
                buffer.withUnsafeBytes { bytes in
                    for index in 0..<n where bytes[index] == 10 {
                        pending.append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: index - start)
                        continuation.yield(pending)
                        pending = Data()
                        start = index + 1
                    }
                    pending.append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: n - start)
                }
                if pending.count > maxLine { return }
            }
        }
        thread.name = name
        thread.start()
        return stream
    }
}

/// Drains the child's stdout/stderr (what bypasses Python's `sys.stdout`: subprocesses,
/// `os.write(1, ...)`, interpreter crashes) into a bounded buffer: the first and last
/// `limit / 2` bytes since the last `take()`.
final class OutputCollector: @unchecked Sendable {  // `head`, `tail` and `dropped` only under `lock`
    private let lock = NSLock()
    private var head = Data(), tail = Data(), dropped = 0
    private let half: Int
    private let fd: Int32

    init(_ fd: Int32, limit: Int, name: String) {
        half = max(limit / 2, 1)
        self.fd = fd
        let thread = Thread { [self] in
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(fd, into: $0) }
                guard n > 0 else { return }
                append(buffer[0..<n])
            }
        }
        thread.name = name
        thread.start()
    }

    private func append(_ bytes: ArraySlice<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        var rest = bytes
        if head.count < half {
            let take = rest.prefix(half - head.count)
            head.append(contentsOf: take)
            rest = rest.dropFirst(take.count)
        }
        tail.append(contentsOf: rest)
        if tail.count > 2 * half {
            dropped += tail.count - half
            tail = tail.suffix(half)
        }
    }

    /// Waits (up to ~20 ms) until the pipe holds no unread bytes, so output written before the
    /// runtime reported a cell done is taken with that cell.
    func settle() {
        for _ in 0..<20 {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) == 1, entry.revents & Int16(POLLIN) != 0, entry.revents & Int16(POLLHUP) == 0 else { return }
            usleep(1000)
        }
    }

    /// What arrived since the last call, with a marker where bytes were dropped.
    func take() -> String {
        lock.lock()
        defer {
            head = Data(); tail = Data(); dropped = 0
            lock.unlock()
        }
        if head.isEmpty && tail.isEmpty { return "" }
        if tail.count > half {
            dropped += tail.count - half
            tail = tail.suffix(half)
        }
        let marker = dropped > 0 ? "\n... [\(dropped) bytes of process output cut] ...\n" : ""
        return String(decoding: head, as: UTF8.self) + marker + String(decoding: tail, as: UTF8.self)
    }
}
