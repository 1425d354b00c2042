import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// A sandboxed python3 REPL whose `context` variable is a whole context.
///
/// Cells run one at a time; variables persist across them until the process has to be replaced
/// (a cell that ignores its interrupt, kills itself, or breaks the protocol), which the next
/// result says through `stateLost`. Sub-calls from model code go to `subCalls`; `search` is
/// answered from the snapshot. The REPL knows nothing of language models.
public actor ReplProcess {
    /// Chosen from the tools on PATH; tried for real (`Sandbox.verify`) only when a start fails.
    public private(set) var sandbox: Sandbox
    let context: ReplContext
    let options: ReplOptions
    let subCalls: SubCallHandler
    private(set) var connection: ReplConnection?
    private var readyInfo: ReplReady?
    private var starting: Task<ReplReady, Error>?
    private var nextCell = 0
    private var running: Int?
    /// The running cell once its result arrived, until `execute` returns it.
    private var answered: Int?
    private var stopReason: StopReason?
    private var killedAfterStop = false
    /// The process tree's resident bytes when the memory watch killed it.
    var memoryUsed: Int?
    var memoryCap: Int?
    var requestTasks: [Task<Void, Never>] = []

    private enum StopReason { case timeout, interrupt }

    public init(context: ReplContext, options: ReplOptions = ReplOptions(),
                subCalls: @escaping SubCallHandler = { _ in throw ReplError("no language model is connected to this REPL") }) {
        self.init(context: context, options: options, sandbox: Sandbox.detect(options.isolation), subCalls: subCalls)
    }

    init(context: ReplContext, options: ReplOptions, sandbox: Sandbox, subCalls: @escaping SubCallHandler) {
        self.context = context
        self.options = options
        self.subCalls = subCalls
        self.sandbox = sandbox
    }

    /// Starts the sandbox and loads the context (done by the first `execute` otherwise).
    @discardableResult
    public func start() async throws -> ReplReady {
        if let readyInfo, connection != nil { return readyInfo }
        // One start at a time: a caller that warms the REPL up and a cell that needs it share it.
        if let starting { return try await starting.value }
        let task = Task { try await self.startWithFallback() }
        starting = task
        defer { starting = nil }
        return try await task.value
    }

    private func startWithFallback() async throws -> ReplReady {
        do {
            return try await startOnce()
        } catch {
            // The tools were found, not tried: see which sandbox really works, and try that once.
            guard !sandbox.verified, !Task.isCancelled else { throw error }
            sandbox = Sandbox.verify(options.isolation)
            return try await startOnce()
        }
    }

    private func startOnce() async throws -> ReplReady {
        let started = ContinuousClock.now
        let python = try PythonInstallation.find(options.python, environment: ProcessInfo.processInfo.environment)
        let owner: uid_t? = sandbox.dropsPrivileges ? Sandbox.nobody : nil
        let scratch = try Scratch.make(owner: owner)
        var contextFD: Int32 = -1
        var ownsContextFD = false, bmp = false
        let layout = context.layout()
        let runtime: String
        do {
            runtime = try RuntimeScript.install(into: scratch, python: python, environment: ProcessInfo.processInfo.environment)
            switch context {
            case .store(let snapshot) where !options.exactText && !layout.allASCII:
                // Made once per snapshot (off the pool: 100 MB take a few hundred ms), then read as ASCII is.
                if let cached = await OffPool.run({ BMPContextCache.descriptor(for: snapshot, layout: layout) }) {
                    (contextFD, ownsContextFD, bmp) = (cached, true, true)
                } else {
                    contextFD = snapshot.contextFileDescriptor
                }
            case .store(let snapshot): contextFD = snapshot.contextFileDescriptor
            case .text(let text, _):
                contextFD = try Scratch.anonymousFile(in: scratch, text: text)
                ownsContextFD = true
            }
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        defer { if ownsContextFD { Glibc.close(contextFD) } }
        let (argv, directory) = sandbox.command(python: python, scratch: scratch, runtime: runtime)
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.spawn(argv, environment: sandbox.environment(scratch: scratch),
                                               inherit: contextFD >= 0 ? [contextFD: 5] : [:])
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw ReplError("\(error)")
        }
        let connection = ReplConnection(process: process, scratch: scratch, outputLimit: options.outputLimit)
        memoryCap = options.limits.treeMemoryCap(contextBytes: layout.records.reduce(0) { $0 + $1[1] })
        let initMessage = ReplMessage.Init(records: layout.records, total_chars: layout.totalChars, all_ascii: layout.allASCII,
                                           exact: options.exactText, bmp: bmp,
                                           docs: layout.docs, limits: limitsForSandbox(), output_limit: options.outputLimit,
                                           cwd: directory)
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(60))
            if !Task.isCancelled { connection.process.kill() }
        }
        defer { watchdog.cancel() }
        guard connection.send(initMessage) else {
            let status = await connection.endedStatus()
            connection.close()
            throw ReplError("the sandbox did not start (\(describe(status: status))): \(connection.output.take().prefix(2000))")
        }
        for await line in connection.messages {
            guard let message = ReplMessage.Incoming.decode(line) else { continue }
            if message.type == "fatal" {
                connection.close()
                throw ReplError(message.error ?? "the REPL could not start")
            }
            guard message.type == "ready" else { continue }
            let ready = ReplReady(python: message.python ?? python.version, chars: message.chars ?? 0, documents: message.docs ?? 0,
                                  load: message.load ?? "", standins: message.standins ?? 0, startMs: (ContinuousClock.now - started).milliseconds,
                                  loadMs: message.ms ?? 0, limits: message.limits ?? [:], uid: message.uid ?? -1,
                                  sandbox: sandbox.mode)
            self.connection = connection
            readyInfo = ready
            return ready
        }
        let status = await connection.endedStatus()
        let output = connection.output.take()
        connection.close()
        throw ReplError("the sandbox ended before it was ready (\(describe(status: status)))"
                        + (output.isEmpty ? "" : ": \(output.prefix(2000))"))
    }

    private func limitsForSandbox() -> [String: Int] {
        var processes = options.limits.processes
        if processes > 0 && sandbox.dropsPrivileges { processes += Scratch.taskCount(uid: Sandbox.nobody) }
        return ["as": options.limits.addressSpaceBytes, "cpu": options.limits.cpuSeconds,
                "fsize": options.limits.fileSizeBytes, "nproc": processes]
    }

    /// Runs one cell. Errors of model code are part of the result; this throws only when the
    /// sandbox cannot start or another cell is running.
    public func execute(_ code: String, timeout: Duration? = nil) async throws -> CellResult {
        guard running == nil else { throw ReplError("another cell is running in this REPL") }
        try await start()
        guard let connection else { throw ReplError("the REPL is not running") }
        nextCell += 1
        let cell = nextCell
        running = cell
        stopReason = nil
        killedAfterStop = false
        memoryUsed = nil
        defer {
            running = nil
            requestTasks.forEach { $0.cancel() }
            requestTasks = []
        }
        guard connection.send(ReplMessage.Exec(id: cell, code: code, limit: options.outputLimit)) else {
            return await processEnded(connection, started: .now)
        }
        let limit = timeout ?? options.cellTimeout
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { await self?.stop(cell: cell, reason: .timeout) }
        }
        defer { deadline.cancel() }
        let memoryWatch = watchMemory(of: connection, cell: cell)
        defer { memoryWatch?.cancel() }
        let started = ContinuousClock.now
        // The caller's cancellation becomes an interrupt; the message stream itself must never see
        // it (a cancelled AsyncStream iteration ends the stream for good), hence the unstructured task.
        let collecting = Task { await self.collect(cell: cell, connection: connection, started: started, limit: limit) }
        return await withTaskCancellationHandler {
            await collecting.value
        } onCancel: {
            Task { await self.interrupt() }
        }
    }

    /// Interrupts the running cell (a `KeyboardInterrupt` in Python; variables survive). If the
    /// cell does not stop within the grace period, the process is replaced.
    public func interrupt() {
        guard let running else { return }
        stop(cell: running, reason: .interrupt)
    }

    /// Ends the Python process and removes its scratch folder.
    public func close() {
        connection?.close()
        connection = nil
        readyInfo = nil
    }

    private func stop(cell: Int, reason: StopReason) {
        guard isRunning(cell), let connection, stopReason == nil else { return }
        stopReason = reason
        _ = connection.send(ReplMessage.Interrupt())
        let grace = options.interruptGrace
        Task { [weak self] in
            try? await Task.sleep(for: grace)
            await self?.killIfStillRunning(cell: cell)
        }
    }

    func isRunning(_ cell: Int) -> Bool { running == cell && answered != cell }

    private func killIfStillRunning(cell: Int) {
        guard isRunning(cell), let connection else { return }
        killedAfterStop = true
        connection.process.kill()
    }

    private func collect(cell: Int, connection: ReplConnection, started: ContinuousClock.Instant, limit: Duration) async -> CellResult {
        for await line in connection.messages {
            guard let message = ReplMessage.Incoming.decode(line) else {
                connection.close()
                self.connection = nil
                return CellResult(error: "the REPL's protocol pipe carried something that is not a message (did the cell write to "
                                  + "its file descriptors?); " + Self.stateLost,
                                  durationMs: (ContinuousClock.now - started).milliseconds, stateLost: true)
            }
            switch message.type {
            case "request":
                answer(message, connection: connection)
            case "done" where message.id == cell:
                answered = cell  // a memory watch or deadline firing from now on must leave the process be
                var result = CellResult(stdout: message.stdout ?? "", stderr: message.stderr ?? "", error: message.error,
                                        durationMs: message.ms ?? (ContinuousClock.now - started).milliseconds,
                                        final: message.final)
                connection.output.settle()
                let stray = connection.output.take()
                if !stray.isEmpty { result.stdout += (result.stdout.isEmpty || result.stdout.hasSuffix("\n") ? "" : "\n") + stray }
                if stopReason == .timeout {
                    result.timedOut = true
                    result.error = "TimeoutError: the cell ran longer than \(limit.secondsDescription) s and was interrupted; variables are kept"
                }
                // A cell quicker than the watch's interval may end holding more than the cap.
                if let cap = memoryCap, case let used = ProcessTree.residentBytes(root: connection.process.pid), used > cap {
                    connection.close()
                    self.connection = nil
                    result.stateLost = true
                    result.error = [result.error, "MemoryError: " + memoryMessage(used: used, cap: cap)].compactMap { $0 }.joined(separator: "\n")
                }
                return result
            default:
                continue
            }
        }
        return await processEnded(connection, started: started, limit: limit)
    }

    private func processEnded(_ connection: ReplConnection, started: ContinuousClock.Instant, limit: Duration? = nil) async -> CellResult {
        let status = await connection.endedStatus()
        let stray = connection.output.take()
        connection.close()
        if self.connection === connection { self.connection = nil }
        let lost = Self.stateLost
        var result = CellResult(stdout: stray, durationMs: (ContinuousClock.now - started).milliseconds, stateLost: true)
        switch (stopReason, killedAfterStop) {
        case _ where memoryUsed != nil:
            result.error = "MemoryError: " + memoryMessage(used: memoryUsed!, cap: memoryCap ?? 0)
        case (.timeout, true):
            result.timedOut = true
            result.error = "TimeoutError: the cell ran longer than \((limit ?? options.cellTimeout).secondsDescription) s and ignored its interrupt; \(lost)"
        case (.interrupt, true):
            result.error = "the cell ignored its interrupt and was killed; \(lost)"
        default:
            result.error = "the Python process ended during the cell (\(describe(status: status))); \(lost)"
        }
        return result
    }

    static let stateLost = "the Python process was replaced and variables from earlier cells are gone"

    private func describe(status: Int32) -> String {
        guard status > 128 else { return "exit status \(status)" }
        let signal = status - 128
        let names: [Int32: String] = [SIGKILL: "SIGKILL (killed; out of memory?)", SIGXCPU: "SIGXCPU (CPU limit)",
                                      SIGSEGV: "SIGSEGV", SIGXFSZ: "SIGXFSZ (file size limit)", SIGABRT: "SIGABRT"]
        return "signal " + (names[signal] ?? "\(signal)")
    }
}
