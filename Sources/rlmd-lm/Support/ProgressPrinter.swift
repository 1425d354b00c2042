import CLISupport
import Foundation
import RLMEngine

/// Live progress of a question on stderr: the progress line after each turn start (and, on a
/// terminal, after each sub-call and model call, redrawn in place), warnings as lines of their own.
final class ProgressPrinter: @unchecked Sendable {  // its state is only touched under `lock`
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var drewLine = false

    func handle(_ progress: QuestionProgress) {
        lock.withLock {
            switch progress.step {
            case .turnStarted:
                draw(progress.line, final: !terminal)
            case .subCallStarted, .modelCalled:
                if terminal { draw(progress.line, final: false) }
            case .warning(let message):
                StandardStreams.err("\(terminal && drewLine ? "\r\u{1B}[K" : "")rlmd: \(message)\n")
                drewLine = false
            }
        }
    }

    /// Clears the line drawn in place.
    func finish() {
        lock.withLock {
            if terminal && drewLine { StandardStreams.err("\r\u{1B}[K") }
            drewLine = false
        }
    }

    private func draw(_ line: String, final: Bool) {
        if terminal {
            StandardStreams.err("\r\u{1B}[K\(line)")
            drewLine = true
        } else if final {
            StandardStreams.err(line + "\n")
        }
    }
}
