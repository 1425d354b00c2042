import Bench
import CLISupport
import Foundation

/// The bench's progress on stderr: a bar redrawn in place on a terminal, a line per task otherwise.
final class ProgressBar: @unchecked Sendable {  // its state is only touched under `lock`
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private let title: String
    private var drew = false

    init(title: String) { self.title = title }

    func show(_ progress: BenchRunner.Progress) {
        lock.withLock {
            let width = 24
            let filled = progress.total == 0 ? width : width * progress.done / progress.total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            var line = "\(title) [\(bar)] \(progress.done)/\(progress.total) · " + String(format: "$%.4f", progress.spentUsd)
            if let last = progress.last {
                line += " · \(last.task) \(last.method): " + (last.error.map { "error: \($0.prefix(60))" } ?? String(format: "score %.2f", last.score))
            }
            if terminal {
                StandardStreams.err("\r\u{1B}[K" + line)
                drew = true
            } else if progress.last != nil {
                StandardStreams.err(line + "\n")
            }
        }
    }

    func finish() {
        lock.withLock {
            if drew { StandardStreams.err("\n") }
            drew = false
        }
    }
}
