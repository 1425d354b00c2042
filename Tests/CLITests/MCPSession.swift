import ContextStore
import Foundation
import RLMSupport

/// The real `rlmd mcp` over real pipes: lines written to its stdin, its stdout read line by line on a thread.
final class MCPSession: @unchecked Sendable {
    let process: Process
    private let stdin = Pipe()
    private let stderr: ErrorCollector
    private let lock = NSLock()
    private var lines: [String] = []

    init(cli: CLI, arguments: [String] = ["mcp"], in directory: String) throws {
        let (process, out, err) = cli.process(arguments, in: directory)
        self.process = process
        process.standardInput = stdin
        try process.run()
        stderr = ErrorCollector(err)
        let reader = Thread { [self] in
            var pending = Data()
            while case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lock.withLock { lines.append(line) }
                }
            }
        }
        reader.start()
    }

    /// Writes on another thread: a large line fills the pipe until rlmd reads it.
    func send(_ data: Data) async {
        let handle = stdin.fileHandleForWriting
        await OffPool.run { handle.write(data) }
    }

    func send(_ line: String) async { await send(Data((line + "\n").utf8)) }

    /// The next line rlmd wrote, parsed (nil when none came in time).
    func next(timeout: Duration = .seconds(60)) async -> [String: Any]? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lock.withLock({ lines.isEmpty ? nil : lines.removeFirst() }) {
                return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Closes stdin and waits for the exit: the status and what rlmd wrote to stderr.
    func close() async -> (status: Int32, stderr: String) {
        try? stdin.fileHandleForWriting.close()
        let process = process, stderr = stderr
        return await OffPool.run {
            process.waitUntilExit()
            return (process.terminationStatus, stderr.wait())
        }
    }
}
