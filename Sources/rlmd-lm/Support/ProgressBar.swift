import Bench
import CLISupport
import Foundation

/// The bench's progress on stderr: a bar redrawn in place on a terminal, a line per task otherwise.
final class ProgressBar: @unchecked Sendable {  // its state is only touched under `lock`
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private let title: String
    private var drew = false
    private var builtContexts: [BenchRunner.BuiltContext] = []

    init(title: String) { self.title = title }

    /// The contexts built so far, with how long each took.
    var built: [BenchRunner.BuiltContext] { lock.withLock { builtContexts } }

    func show(_ progress: BenchRunner.Progress) {
        lock.withLock {
            if let built = progress.built {
                builtContexts.append(built)
                StandardStreams.err((drew ? "\r\u{1B}[K" : "") + String(format: "built %@ (%.1f MB) in %.2f s\n", built.name,
                                                                        Double(built.bytes) / 1_048_576, built.seconds))
                drew = false
                return
            }
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
