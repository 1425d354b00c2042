/// Where a `ReplProcess` is in its life, as one value (the shape of swift-service-lifecycle's
/// `ServiceGroup.State`): a cell runs only in a ready process, and what stops it lives with it.
extension ReplProcess {
    enum State {
        /// No process: before the first start, after `close`, and after a process was lost.
        /// There is no closed state; the next cell starts a new process.
        case idle
        /// Spawning the sandbox and loading the context; every caller of `start` awaits this task.
        case starting(Task<ReplReady, Error>)
        case ready(Live)
        case running(Live, RunningCell)
    }

    /// A process that said it is ready.
    struct Live {
        let connection: ReplConnection
        let ready: ReplReady
        /// `ReplLimits.treeMemoryCap` for this context; nil when not watched.
        let memoryCap: Int?
    }

    /// The running cell and what was done to stop it.
    struct RunningCell {
        let id: Int
        var stopCause: CellStopCause?
        /// It outlasted the grace period after its interrupt and the process was killed.
        var killedAfterStop = false
        /// The process tree's bytes (`ProcessTree.anonymousBytes`) when the memory watch killed it.
        var memoryUsed: Int?
        /// Requests from its model code being answered; cancelled when the cell ends.
        var requests: [Task<Void, Never>] = []
    }

    enum CellStopCause { case timeout, interrupt }

    var live: Live? {
        switch state {
        case .ready(let live), .running(let live, _): live
        case .idle, .starting: nil
        }
    }

    /// The process and cell while cell `id` runs.
    func running(_ id: Int) -> (live: Live, cell: RunningCell)? {
        guard case .running(let live, let cell) = state, cell.id == id else { return nil }
        return (live, cell)
    }

    func isRunning(_ id: Int) -> Bool { running(id) != nil }

    /// Changes cell `id` while it runs; false once it has ended.
    @discardableResult
    func updateCell(_ id: Int, _ change: (inout RunningCell) -> Void) -> Bool {
        guard var current = running(id) else { return false }
        change(&current.cell)
        state = .running(current.live, current.cell)
        return true
    }

    /// Ends cell `id`: the process is ready for the next, or gone (`processLost`) and the next starts one.
    func finish(cell id: Int, processLost: Bool) {
        guard let current = running(id) else { return }
        current.cell.requests.forEach { $0.cancel() }
        state = processLost ? .idle : .ready(current.live)
    }
}
