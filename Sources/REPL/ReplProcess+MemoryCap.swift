import Foundation

/// The cap on the resident memory of the sandbox's whole process tree that no file backs
/// (`ReplLimits.treeMemoryBytes`; `ProcessTree.anonymousBytes`).
extension ReplProcess {
    /// Sums the tree's memory four times a second while the cell runs (between cells
    /// nothing runs that could grow, bar a cell's background work, which the next cell's watch sees).
    func watchMemory(of live: Live, cell: Int) -> MemoryWatch.Token? {
        guard let cap = live.memoryCap else { return nil }
        return MemoryWatch.shared.watch(root: live.connection.process.pid, cap: cap) { [weak self] used in
            Task { await self?.killForMemory(cell: cell, used: used) }
        }
    }

    private func killForMemory(cell: Int, used: Int) {
        guard let current = running(cell) else { return }
        updateCell(cell) { $0.memoryUsed = used }
        current.live.connection.process.kill()
    }

    /// The sandbox's root process while one runs (see `anonymousBytes(roots:)`).
    public func processID() -> pid_t? { live?.connection.process.pid }

    /// What the process trees under `roots` hold now, from one pass over `/proc`.
    public static func anonymousBytes(roots: [pid_t]) -> [Int] {
        let table = ProcessTree.Table.read()
        return roots.map { table.anonymousBytes(root: $0) }
    }

    func memoryMessage(used: Int, cap: Int) -> String {
        "the cell's processes held \(used >> 20) MiB, over the sandbox's cap of \(cap >> 20) MiB, and were killed; "
            + Self.stateLost
    }
}
