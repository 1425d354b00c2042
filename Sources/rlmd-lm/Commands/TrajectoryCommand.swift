import ArgumentParser
import CLISupport
import Foundation
import RLMEngine

struct TrajectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.trajectory.name, abstract: ModelCommands.trajectory.abstract)

    @Argument(help: "The trajectory id (or a unique prefix); without one, the recent trajectories are listed.")
    var id: String?

    @Flag(help: "JSON Lines: a metadata line, then one line per turn (sub-calls nested).")
    var jsonl = false

    func run() throws {
        let store = try TrajectoryStore()
        guard let id else {
            for summary in try store.recent() {
                let stamp = ISO8601DateFormatter().string(from: summary.createdAt)
                print("\(summary.id)  \(stamp)  \(String(format: "$%.4f", summary.costUSD))\(summary.partial ? "  partial" : "")  \(summary.question.prefix(80))")
            }
            return
        }
        guard let trajectory = try store.load(id) else { throw CLIError("no trajectory \(id) (run `rlmd trajectory` to list them)") }
        if jsonl {
            StandardStreams.out(try trajectory.jsonLines())
            return
        }
        print("question: \(trajectory.question)")
        print("context: \(trajectory.kind) \(trajectory.root) · models \(trajectory.model) / \(trajectory.subModel)")
        for turn in trajectory.turns { show(turn, indent: "") }
        print("answer\(trajectory.partial ? " (partial: \(trajectory.stopReason ?? ""))" : ""): \(trajectory.answer ?? "")")
    }

    private func show(_ turn: Trajectory.Turn, indent: String) {
        print("\(indent)── turn \(turn.iteration) (depth \(turn.depth))\(turn.answerNow ? " answer now" : "")\(turn.error.map { " ERROR: \($0)" } ?? "")")
        for cell in turn.cells {
            print(cell.code.split(separator: "\n", omittingEmptySubsequences: false).map { "\(indent)  > \($0)" }.joined(separator: "\n"))
            let output = cell.result.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix(12)
            print(output.map { "\(indent)    \($0)" }.joined(separator: "\n"))
            if let error = cell.result.error { print("\(indent)    error: \(error.split(separator: "\n").last ?? "")") }
        }
        for call in turn.subCalls {
            print("\(indent)  · \(call.kind) \(call.model): \(call.prompt.prefix(60).replacingOccurrences(of: "\n", with: " "))"
                  + (call.error.map { " ERROR \($0)" } ?? ""))
            for child in call.child ?? [] { show(child, indent: indent + "    ") }
        }
    }
}
