import CLISupport
import ContextStore
import Foundation

/// Indexing progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise.
final class ProgressReporter: @unchecked Sendable {  // its state is only touched under `lock`
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drewBar = false

    func report(_ progress: IndexProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch progress.phase {
        case .listing:
            write(isTerminal ? "\r\u{1B}[Klisting files…" : "listing files\n")
            drewBar = isTerminal
        case .reading:
            let now = Date()
            let interval = isTerminal ? 0.1 : 2.0
            guard now.timeIntervalSince(lastDraw) >= interval || progress.done == progress.total else { return }
            lastDraw = now
            if isTerminal {
                let width = 30
                let filled = progress.total == 0 ? width : width * progress.done / progress.total
                let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
                let name = String((progress.path ?? "").suffix(40))
                write("\r\u{1B}[K[\(bar)] \(progress.done)/\(progress.total) \(progress.unit) \(name)")
                drewBar = true
            } else {
                write("read \(progress.done)/\(progress.total) \(progress.unit)\n")
            }
        case .done:
            if drewBar { write("\r\u{1B}[K") }
        }
    }

    private func write(_ text: String) {
        StandardStreams.err(text)
    }
}
