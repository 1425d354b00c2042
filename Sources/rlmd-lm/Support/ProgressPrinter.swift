import CLISupport
import Foundation
import RLMEngine

/// Live progress of a question on stderr: one line per turn and per sub-call batch, with running
/// tokens and cost (redrawn in place on a terminal).
final class ProgressPrinter: @unchecked Sendable {
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var usage = RunUsage()
    private var turn = (depth: 1, iteration: 0)
    private var subCalls = 0
    private var drewLine = false

    func handle(_ event: RLMEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .turnStarted(let depth, let iteration):
            turn = (depth, iteration)
            draw(final: !terminal)
        case .subCallStarted:
            subCalls += 1
            if terminal { draw(final: false) }
        case .usage(let totals):
            usage = totals
            if terminal { draw(final: false) }
        case .warning(let message):
            write("\(terminal && drewLine ? "\r\u{1B}[K" : "")rlmd: \(message)\n")
            drewLine = false
        case .finished:
            if terminal && drewLine { write("\r\u{1B}[K") }
            drewLine = false
        default:
            break
        }
    }

    private func draw(final: Bool) {
        let depth = turn.depth > 1 ? " (depth \(turn.depth))" : ""
        let tokens = usage.input + usage.output
        let cost = usage.costUSD > 0 ? String(format: " · $%.4f", usage.costUSD) : ""
        let line = "turn \(turn.iteration)\(depth) · \(subCalls) sub-calls · \(Self.compact(tokens)) tokens\(cost)"
        if terminal {
            write("\r\u{1B}[K\(line)")
            drewLine = true
        } else if final {
            write(line + "\n")
        }
    }

    static func compact(_ count: Int) -> String {
        count >= 10_000 ? String(format: "%.1fk", Double(count) / 1000) : String(count)
    }

    private func write(_ text: String) {
        StandardStreams.err(text)
    }
}
