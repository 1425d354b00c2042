import Foundation

/// Running one cell: its deadline, its interrupt and kill, its messages, and how it ended.
extension ReplProcess {
    /// Runs one cell. Errors of model code are part of the result; this throws only when the
    /// sandbox cannot start or another cell is running.
    public func execute(_ code: String, timeout: Duration? = nil) async throws -> CellResult {
        if case .running = state { throw Self.busy }
        try await start()
        let live: Live
        switch state {
        case .ready(let ready): live = ready
        // Another caller waited for the same start and got in first.
        case .running: throw Self.busy
        case .idle, .starting: throw ReplError("the REPL is not running")
        }
        nextCell += 1
        let cell = nextCell
        state = .running(live, RunningCell(id: cell))
        let connection = live.connection
        guard connection.send(ReplMessage.Exec(id: cell, code: code, limit: options.outputLimit)) else {
            return await processEnded(connection, cell: cell, started: .now)
        }
        let limit = timeout ?? options.cellTimeout
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { await self?.stop(cell: cell, cause: .timeout) }
        }
        defer { deadline.cancel() }
        let memoryWatch = watchMemory(of: live, cell: cell)
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

    private static let busy = ReplError("another cell is running in this REPL")

    func stop(cell id: Int, cause: CellStopCause) {
        guard let current = running(id), current.cell.stopCause == nil else { return }
        updateCell(id) { $0.stopCause = cause }
        _ = current.live.connection.send(ReplMessage.Interrupt())
        let grace = options.interruptGrace
        Task { [weak self] in
            try? await Task.sleep(for: grace)
            await self?.killIfStillRunning(cell: id)
        }
    }

    private func killIfStillRunning(cell id: Int) {
        guard let current = running(id) else { return }
        updateCell(id) { $0.killedAfterStop = true }
        current.live.connection.process.kill()
    }

    /// Reads messages until the cell's `done` or the end of the stream. Each way out ends the cell
    /// in the same actor turn as the message, so a deadline or memory watch firing later finds no cell.
    private func collect(cell: Int, connection: ReplConnection, started: ContinuousClock.Instant, limit: Duration) async -> CellResult {
        for await line in connection.messages {
            let message: ReplMessage.Incoming
            switch ReplMessage.Incoming.decode(line) {
            case .success(let decoded): message = decoded
            case .failure(.unknownKind): continue
            case .failure(.malformed):
                connection.close()
                finish(cell: cell, processLost: true)
                return CellResult(error: "the REPL's protocol pipe carried something that is not a message (did the cell write to "
                                  + "its file descriptors?); " + Self.stateLost,
                                  durationMs: (ContinuousClock.now - started).milliseconds, stateLost: true)
            }
            switch message.type {
            case .request:
                answer(message, cell: cell, connection: connection)
            case .done where message.id == cell:
                return finished(message, cell: cell, connection: connection, started: started, limit: limit)
            case .done, .ready, .fatal:
                continue
            }
        }
        return await processEnded(connection, cell: cell, started: started, limit: limit)
    }

    private func finished(_ message: ReplMessage.Incoming, cell: Int, connection: ReplConnection,
                          started: ContinuousClock.Instant, limit: Duration) -> CellResult {
        let current = running(cell)
        var result = CellResult(stdout: message.stdout ?? "", stderr: message.stderr ?? "", error: message.error,
                                durationMs: message.ms ?? (ContinuousClock.now - started).milliseconds,
                                final: message.final)
        connection.output.settle()
        let stray = connection.output.take()
        if !stray.isEmpty { result.stdout += (result.stdout.isEmpty || result.stdout.hasSuffix("\n") ? "" : "\n") + stray }
        if current?.cell.stopCause == .timeout {
            result.timedOut = true
            result.error = "TimeoutError: the cell ran longer than \(limit.secondsDescription) s and was interrupted; variables are kept"
        }
        // A cell quicker than the watch's interval may end holding more than the cap.
        if let cap = current?.live.memoryCap, case let used = ProcessTree.anonymousBytes(root: connection.process.pid), used > cap {
            connection.close()
            result.stateLost = true
            result.error = [result.error, "MemoryError: " + memoryMessage(used: used, cap: cap)].compactMap { $0 }.joined(separator: "\n")
        }
        finish(cell: cell, processLost: result.stateLost)
        return result
    }

    private func processEnded(_ connection: ReplConnection, cell: Int, started: ContinuousClock.Instant,
                              limit: Duration? = nil) async -> CellResult {
        let status = await connection.endedStatus()
        let stray = connection.output.take()
        connection.close()
        // Read after the wait: a deadline or the memory watch may have acted on the cell meanwhile.
        let current = running(cell)
        finish(cell: cell, processLost: true)
        let lost = Self.stateLost
        var result = CellResult(stdout: stray, durationMs: (ContinuousClock.now - started).milliseconds, stateLost: true)
        if let used = current?.cell.memoryUsed {
            result.error = "MemoryError: " + memoryMessage(used: used, cap: current?.live.memoryCap ?? 0)
            return result
        }
        switch (current?.cell.stopCause, current?.cell.killedAfterStop ?? false) {
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
}
