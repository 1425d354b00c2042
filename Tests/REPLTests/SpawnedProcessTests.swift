import Foundation
@testable import REPL
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SpawnedProcessTests {
    /// A descriptor to pass on may be numbered among those the child's own pipes take (0...4):
    /// the child must still get it, not the pipe dup'd over it first.
    @Test func aLowNumberedDescriptorReachesTheChildAsItself() throws {
        let process = try SpawnedProcess.spawn(["/bin/readlink", "/proc/self/fd/5"], environment: [:], inherit: [2: 5])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = read(process.output, &buffer, buffer.count), count > 0 { bytes += buffer[..<count] }
        #expect(process.waitForExit() == 0)
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/2")
        #expect(String(decoding: bytes, as: UTF8.self) == ours + "\n")
    }
}
