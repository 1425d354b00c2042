import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running sandboxed Python: its process, its message stream, its stray output and its
/// scratch folder. Dropping the connection kills the process and removes the folder.
final class ReplConnection: @unchecked Sendable {  // `closed` only under `cleanup`; the rest is immutable
    let process: SpawnedProcess
    let messages: AsyncStream<Data>
    let output: OutputCollector
    let scratch: String
    private let cleanup = NSLock()
    private var closed = false

    init(process: SpawnedProcess, scratch: String, outputLimit: Int) {
        self.process = process
        self.scratch = scratch
        messages = MessageReader.start(process.fromChild, name: "rlmd.repl.messages")
        output = OutputCollector(process.output, limit: outputLimit, name: "rlmd.repl.output")
    }

    func send(_ message: some Encodable) -> Bool {
        process.send(ReplMessage.line(message))
    }

    func send(_ message: ReplMessage.Init) -> Bool {
        process.send(message.jsonLine)
    }

    /// Kills the sandbox (its whole session or pid namespace) and removes the scratch folder.
    func close() {
        cleanup.lock()
        defer { cleanup.unlock() }
        guard !closed else { return }
        closed = true
        process.kill()
        Glibc.close(process.toChild)
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// After the message stream ended: how the process ended, waiting briefly for it to exit
    /// on its own before killing it.
    func endedStatus() async -> Int32 {
        for _ in 0..<50 {
            if let status = process.exitStatusIfEnded() { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
        process.kill()
        return process.waitForExit()
    }

    deinit { close() }
}
