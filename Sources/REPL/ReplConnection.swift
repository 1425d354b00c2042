import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running sandboxed Python: its process, its message stream, its stray output and its
/// scratch folder. Dropping the connection kills the process and removes the folder.
final class ReplConnection: @unchecked Sendable {
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

enum Scratch {
    /// A private folder for one REPL process, owned by the sandbox user.
    static func make(owner: uid_t?) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/rlmd-repl-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ReplError("cannot create a scratch folder in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        if let owner { _ = chown(path, owner, owner) }
        return path
    }

    /// Writes `text` to a file in `folder`, opens it and unlinks it: the descriptor is the only way in.
    static func anonymousFile(in folder: String, text: String) throws -> Int32 {
        let path = "\(folder)/.context"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ReplError("cannot write the context into \(folder)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        unlink(path)
        guard fd >= 0 else { throw ReplError("cannot open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Tasks (threads, which RLIMIT_NPROC counts) that `uid` runs now, so a process limit
    /// leaves room for that many more.
    static func taskCount(uid: uid_t) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var count = 0
        for entry in entries where entry.first?.isNumber == true {
            var st = stat()
            guard stat("/proc/\(entry)", &st) == 0, st.st_uid == uid else { continue }
            count += (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/task").count) ?? 1
        }
        return count
    }
}
