import ContextStore
import Foundation
import RLMSupport

/// Runs the built `rlmd` binary the way a user does, with its own cache folder (removed with it).
final class CLI: Sendable {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let cacheHome: String

    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["RLMD_BIN"] { return explicit }
        // SwiftPM puts the test bundle and the `rlmd` product in the same build folder.
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("rlmd").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return "rlmd"
    }

    init() throws {
        cacheHome = FileManager.default.temporaryDirectory.path + "/rlmd-cli-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: cacheHome, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: cacheHome) }

    func process(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cacheHome
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        return (process, out, err)
    }

    @discardableResult
    func run(_ arguments: String..., in directory: String) async throws -> Result {
        try await run(arguments, in: directory)
    }

    /// Runs rlmd on its own thread, so waiting for it never holds a thread of the concurrency pool
    /// that other tests' timers and tasks need.
    func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) async throws -> Result {
        try await OffPool.run { try self.runBlocking(arguments, in: directory, environment: environment) }
    }

    private func runBlocking(_ arguments: [String], in directory: String, environment: [String: String]) throws -> Result {
        let (process, out, err) = process(arguments, in: directory, environment: environment)
        try process.run()
        let errorData = ErrorCollector(err)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: errorData.wait())
    }
}

/// Waits for a started process on a thread of its own (a test holding one of the concurrency pool's
/// two threads for seconds made other tests' timeouts fire late): its status, stdout (when piped
/// here) and stderr.
func finished(_ process: Process, out: Pipe?, err: Pipe?) async -> (status: Int32, stdout: Data, stderr: String) {
    struct Handles: @unchecked Sendable { let process: Process, out: Pipe?, err: Pipe? }
    let handles = Handles(process: process, out: out, err: err)
    return await OffPool.run {
        let errors = handles.err.map(ErrorCollector.init)
        let data = handles.out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        handles.process.waitUntilExit()
        return (handles.process.terminationStatus, data, errors?.wait() ?? "")
    }
}

/// Polls `ready` every 2 ms on a thread of its own while `process` runs, then kills it; whether it
/// was still running then.
func kill(_ process: Process, when ready: @escaping @Sendable () -> Bool, within seconds: Double = 60) async -> Bool {
    struct Handle: @unchecked Sendable { let process: Process }
    let handle = Handle(process: process)
    return await OffPool.run {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, handle.process.isRunning, !ready() { usleep(2000) }
        let running = handle.process.isRunning
        Glibc.kill(handle.process.processIdentifier, SIGKILL)
        handle.process.waitUntilExit()
        return running
    }
}

/// Drains a pipe on another thread so neither pipe can fill up and block the child.
final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        // A thread, not DispatchQueue.global(): on Linux that is the pool Swift concurrency runs on.
        Thread {
            self.data = pipe.fileHandleForReading.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
