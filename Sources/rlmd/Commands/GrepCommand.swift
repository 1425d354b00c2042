import ArgumentParser
import CLISupport
import ContextStore

struct GrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Search indexed files line by line with a regular expression.",
        discussion: "POSIX extended regular expressions, plus \\d \\w \\s \\b. Exit status 1 when nothing matches.")

    @Argument(help: "The pattern.")
    var pattern: String

    @Option(help: "Only files matching this glob (`*.py` matches at any depth, `src/**/*.py` the whole path, `!x` excludes).")
    var glob: String?

    @Option(name: .customLong("max-hits"), help: "Stop after this many matching lines.")
    var maxHits = 1000

    @Flag(name: [.short, .customLong("ignore-case")], help: "Match case-insensitively.")
    var ignoreCase = false

    @Flag(name: [.customShort("F"), .customLong("fixed-strings")], help: "The pattern is a literal string.")
    var fixedStrings = false

    @Flag(help: "Print a JSON list of {path, line, text}.")
    var json = false

    @OptionGroup var workspaceOptions: WorkspaceOptions

    struct Match: Encodable {
        var path: String
        var line: Int
        var text: String
    }

    func validate() throws {
        guard maxHits > 0 else { throw ValidationError("--max-hits must be positive") }
    }

    func run() throws {
        let snapshot = try workspaceOptions.openSnapshot()
        let options = GrepOptions(pathGlob: glob, maxHits: maxHits, ignoreCase: ignoreCase, fixedString: fixedStrings)
        let matches = try snapshot.grep(pattern, options: options)
        if json {
            try JSONOutput.print(matches.map { Match(path: $0.path, line: $0.line, text: $0.text) })
        } else {
            for match in matches { print("\(match.path):\(match.line):\(match.text)") }
        }
        if matches.isEmpty { throw ExitCode(1) }
    }
}
