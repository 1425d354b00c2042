import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// Short helper runs used to detect what the machine offers (bubblewrap, unshare, python3), with
/// stdout and stderr together and spawned on the spawn thread; `ProcessRunner.which` finds them.
enum Probe {
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `argv` to completion with stdout and stderr captured together (at most 64 KiB kept).
    static func run(_ argv: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> Result {
        do {
            let process = try SpawnedProcess.spawn(argv, environment: environment)
            close(process.toChild)
            close(process.fromChild)
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 14)
            while true {
                let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(process.output, into: $0) }
                guard n > 0 else { break }
                if data.count < 1 << 16 { data.append(buffer, count: n) }
            }
            close(process.output)
            return Result(status: process.waitForExit(), output: String(decoding: data, as: UTF8.self))
        } catch {
            return Result(status: 127, output: "\(error)")
        }
    }
}
