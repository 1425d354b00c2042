import ArgumentParser
import CLISupport
import ContextStore

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank indexed files for a query (SQLite FTS5, bm25). Exit status 1 when nothing matches.")

    @Argument(help: "Words to look for; with --raw, an FTS5 query.")
    var query: String

    @Option(name: [.short, .customLong("limit")], help: "How many files to return.")
    var k = 20

    @Flag(help: "Pass the query to FTS5 as written (AND, OR, NEAR, \"phrases\", prefix*).")
    var raw = false

    @Flag(help: "Print a JSON list of {path, line, score, snippet}.")
    var json = false

    @OptionGroup var workspaceOptions: WorkspaceOptions

    struct Hit: Encodable {
        var path: String
        var line: Int
        var score: Double
        var snippet: String
    }

    func validate() throws {
        guard k > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() throws {
        let snapshot = try workspaceOptions.openSnapshot()
        let hits = try snapshot.search(query, limit: k, raw: raw)
        if json {
            try JSONOutput.print(hits.map { Hit(path: $0.path, line: $0.line, score: $0.score, snippet: $0.snippet) })
        } else {
            for hit in hits { print("\(hit.path):\(hit.line): \(hit.snippet)") }
        }
        if hits.isEmpty { throw ExitCode(1) }
    }
}
