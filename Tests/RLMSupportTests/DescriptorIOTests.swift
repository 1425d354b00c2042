import Foundation
import RLMSupport
import Testing

/// `DescriptorIO` through a pipe and a file: all bytes arrive, positional I/O lands at its offset.
@Suite struct DescriptorIOTests {
    @Test func writeAllThenReadAllCarriesEveryByteThroughAPipe() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let result = Locked<[UInt8]?>(nil)
        let done = DispatchSemaphore(value: 0)
        let readFD = fds[0]
        Thread {
            result.withLock { $0 = DescriptorIO.readAll(readFD) }
            close(readFD)
            done.signal()
        }.start()
        #expect(DescriptorIO.writeAll(fds[1], bytes))
        close(fds[1])
        done.wait()
        #expect(result.withLock { $0 } == bytes)
    }

    @Test func readAllStopsAtItsLimit() throws {
        let path = NSTemporaryDirectory() + "rlmsupport-\(UUID().uuidString)"
        defer { unlink(path) }
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        #expect(DescriptorIO.readAll(fd, limit: 300)?.count == 300)
    }

    @Test func positionalWriteAndReadUseTheirOffset() throws {
        let path = NSTemporaryDirectory() + "rlmsupport-\(UUID().uuidString)"
        defer { unlink(path) }
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        #expect(DescriptorIO.writeAll(fd, Array("hello world".utf8)))
        #expect(DescriptorIO.writeAll(fd, Array("W".utf8), at: 6))
        var buffer = [UInt8](repeating: 0, count: 5)
        let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(fd, into: $0, at: 6) }
        #expect(n == 5 && String(decoding: buffer, as: UTF8.self) == "World")
    }

    @Test func writeAllFailsWithEPIPEOnceTheReaderIsGone() throws {
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let written = DescriptorIO.writeAll(fds[1], [1, 2, 3])
        let error = errno
        #expect(!written && error == EPIPE)
    }
}
