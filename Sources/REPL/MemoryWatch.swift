import Foundation

/// Watches the process trees of running cells against their memory caps on one thread of its
/// own: every 250 ms while any cell has run that long, one pass over `/proc` serves them all. (A pass per
/// REPL on the concurrency pool held its two threads when many REPLs ran at once.)
final class MemoryWatch: @unchecked Sendable {  // state under `condition`
    static let shared = MemoryWatch()
    static let interval: useconds_t = 250_000

    /// Stops the watch it came from.
    struct Token: Sendable {
        let id: Int
        func cancel() { _ = MemoryWatch.shared.stop(id) }
    }

    private struct Watched {
        var root: pid_t
        var cap: Int
        var over: @Sendable (Int) -> Void
        var since = ContinuousClock.now
    }

    private let condition = NSCondition()
    private var watched: [Int: Watched] = [:]
    private var lastID = 0
    private var running = false

    /// Calls `over` once, with the bytes held, when the tree under `root` holds more than `cap`.
    func watch(root: pid_t, cap: Int, over: @escaping @Sendable (Int) -> Void) -> Token {
        condition.lock()
        defer { condition.unlock() }
        lastID += 1
        watched[lastID] = Watched(root: root, cap: cap, over: over)
        if !running {
            running = true
            let thread = Thread { [self] in loop() }
            thread.name = "rlmd-memory-watch"
            thread.start()
        }
        condition.signal()
        return Token(id: lastID)
    }

    private func stop(_ id: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return watched.removeValue(forKey: id) != nil
    }

    private func loop() {
        while true {
            condition.lock()
            while watched.isEmpty { condition.wait() }
            condition.unlock()
            usleep(Self.interval)
            // A cell younger than the interval is left to the check at its end (most cells are:
            // a pass each at their start cost asks a few ms).
            condition.lock()
            let due = ContinuousClock.now - .microseconds(Int(Self.interval))
            let current = watched.filter { $0.value.since <= due }
            condition.unlock()
            guard !current.isEmpty else { continue }
            let table = ProcessTree.Table.read()
            for (id, watch) in current {
                let used = table.anonymousBytes(root: watch.root)
                // Stopped meanwhile: the cell ended, and its own check at the end decides.
                if used > watch.cap, stop(id) { watch.over(used) }
            }
        }
    }
}
