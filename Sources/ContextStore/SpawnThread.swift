import Foundation

/// One thread that lives as long as the process and performs every spawn of a child that must die
/// with rlmd (REPL sandboxes, git), so that "die with parent" (`PR_SET_PDEATHSIG`, which on Linux
/// follows the spawning *thread*) means "die with rlmd".
public final class SpawnThread: @unchecked Sendable {  // `jobs` only under `condition`
    public static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "rlmd.spawn"
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// Runs `body` on the spawn thread and waits for it.
    public func run<T>(_ body: @escaping () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, Error>!
        condition.lock()
        jobs.append {
            result = Result { try body() }
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return try result.get()
    }
}
