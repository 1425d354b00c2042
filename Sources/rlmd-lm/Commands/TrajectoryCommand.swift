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

    @Flag(help: "One self-contained HTML page: answer, citations, a chart, every turn and sub-call (it loads nothing from the network).")
    var html = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write to FILE instead of stdout.")
    var output: String?

    @Flag(help: "Write the HTML page (to --output, else the cache folder) and open it in the system's browser.")
    var open = false

    func validate() throws {
        if jsonl && (html || open) { throw ValidationError("give one of --jsonl and --html") }
        if id == nil && (jsonl || html || open || output != nil) { throw ValidationError("name a trajectory: rlmd trajectory ID --html") }
    }

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
        if html || open {
            try writePage(trajectory)
            return
        }
        if jsonl {
            let lines = try trajectory.jsonLines()
            if let output {
                try Data(lines.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                print(output)
            } else {
                StandardStreams.out(lines)
            }
            return
        }
        print("question: \(trajectory.question)")
        print("context: \(trajectory.kind) \(trajectory.root) · models \(trajectory.model) / \(trajectory.subModel)")
        for turn in trajectory.turns { show(turn, indent: "") }
        print("answer\(trajectory.partial ? " (partial: \(trajectory.stopReason ?? ""))" : ""): \(trajectory.answer ?? "")")
    }

    /// The page to stdout, or to a file (printing its path), opened in the browser with `--open`.
    private func writePage(_ trajectory: Trajectory) throws {
        let page = TrajectoryPage.forSaved(trajectory)
        guard output != nil || open else {
            StandardStreams.out(page.html())
            return
        }
        let path = output.map { ($0 as NSString).expandingTildeInPath } ?? TrajectoryPage.defaultPath(id: trajectory.id)
        try page.write(to: path)
        print(path)
        guard open else { return }
        if BrowserOpener.open(path) == nil {
            StandardStreams.err("rlmd: no browser opener (xdg-open or open) on PATH; open \(path) yourself\n")
        }
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
