import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// Starting one sandboxed process: the runtime, the context's descriptor, `init`, and its answer.
extension ReplProcess {
    /// Spawns the sandbox, sends `init` and waits for `ready` (or `fatal`), for at most a minute.
    func spawn() async throws -> Live {
        let started = ContinuousClock.now
        let python = try PythonInstallation.find(options.python, environment: ProcessInfo.processInfo.environment)
        let owner: uid_t? = sandbox.dropsPrivileges ? Sandbox.nobody : nil
        let scratch = try Scratch.make(owner: owner)
        var contextFD: Int32 = -1, copyFD: Int32 = -1
        var ownsContextFD = false
        let layout = context.layout()
        let runtime: String
        do {
            runtime = try RuntimeScript.install(into: scratch, python: python, environment: ProcessInfo.processInfo.environment)
            switch context {
            case .store(let snapshot) where layout.usesCopy(exactText: options.exactText):
                // Made here once per snapshot unless the daemon made it (off the pool: 100 MB take 30 ms
                // to 1 s, mostly the kernel's), then mapped by every REPL over the snapshot. The context
                // file goes too: a copy the runtime cannot use is read from the records instead.
                copyFD = await OffPool.run { ContextCopy.descriptor(for: snapshot, layout: layout) } ?? -1
                contextFD = snapshot.contextFileDescriptor
            case .store(let snapshot): contextFD = snapshot.contextFileDescriptor
            case .text(let text, _):
                contextFD = try Scratch.anonymousFile(in: scratch, text: text)
                ownsContextFD = true
            }
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        defer {
            if ownsContextFD { Glibc.close(contextFD) }
            if copyFD >= 0 { Glibc.close(copyFD) }
        }
        let (argv, directory) = sandbox.command(python: python, scratch: scratch, runtime: runtime)
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.spawn(argv, environment: sandbox.environment(scratch: scratch),
                                               inherit: [contextFD: 5, copyFD: 6].filter { $0.key >= 0 })
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw ReplError("\(error)")
        }
        let connection = ReplConnection(process: process, scratch: scratch, outputLimit: options.outputLimit)
        let memoryCap = options.limits.treeMemoryCap(contextBytes: layout.records.reduce(0) { $0 + $1[1] })
        let initMessage = ReplMessage.Init(records: layout.records, total_chars: layout.totalChars, all_ascii: layout.allASCII,
                                           exact: options.exactText, copy: copyFD >= 0,
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
            guard case .success(let message) = ReplMessage.Incoming.decode(line) else { continue }
            if message.type == .fatal {
                connection.close()
                throw ReplError(message.error ?? "the REPL could not start")
            }
            guard message.type == .ready else { continue }
            let ready = ReplReady(python: message.python ?? python.version, chars: message.chars ?? 0, documents: message.docs ?? 0,
                                  load: message.load ?? "", standins: message.standins ?? 0, startMs: (ContinuousClock.now - started).milliseconds,
                                  loadMs: message.ms ?? 0, limits: message.limits ?? [:], uid: message.uid ?? -1,
                                  sandbox: sandbox.mode)
            return Live(connection: connection, ready: ready, memoryCap: memoryCap)
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
}
