import ContextStore
import Foundation
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
                let n = buffer.withUnsafeMutableBytes { read(process.output, $0.baseAddress, $0.count) }
                if n > 0 {
                    if data.count < 1 << 16 { data.append(buffer, count: n) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(process.output)
            return Result(status: process.waitForExit(), output: String(decoding: data, as: UTF8.self))
        } catch {
            return Result(status: 127, output: "\(error)")
        }
    }
}
