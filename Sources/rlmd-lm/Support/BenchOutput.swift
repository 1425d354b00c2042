import Bench
import CLISupport
import Foundation

/// How `rlmd bench` prints a run: two tables (per size and method, then per task kind), or JSON.
enum BenchOutput {
    struct JSON: Encodable {
        var run: BenchRunConfig
        var rows: [BenchRow]
        var kinds: [BenchRow]
        var results: Int
        var folder: String?
        /// The contexts this invocation built (a resumed run reuses those already built).
        var contexts: [BenchRunner.BuiltContext]
    }

    static func print(_ results: [BenchResult], config: BenchRunConfig, folder: ResultsFolder?, built: [BenchRunner.BuiltContext],
                      json: Bool) throws {
        let rows = BenchRow.summarize(results, byKind: false), kinds = BenchRow.summarize(results, byKind: true)
        if json {
            try JSONOutput.print(JSON(run: config, rows: rows, kinds: kinds, results: results.count, folder: folder?.path, contexts: built))
            return
        }
        var text = ["\(config.suite) · seed \(config.seed) · \(results.count) results", "", TextTable.render(rows, byKind: false)]
        if Set(kinds.map(\.kind)).count > 1 { text += ["", TextTable.render(kinds, byKind: true)] }
        if let folder { text += ["", "results in \(folder.resultsPath); resume with --resume \(folder.path)"] }
        Swift.print(text.joined(separator: "\n"))
    }
}
