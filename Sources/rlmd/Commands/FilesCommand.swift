import ArgumentParser
import CLISupport
import ContextStore

struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "files", abstract: "List the indexed documents.")

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Flag(help: "Print a JSON list of {path, lines, bytes, chars, tokens, language, sha256}.")
    var json = false

    struct Entry: Encodable {
        var path: String
        var lines: Int
        var bytes: Int
        var chars: Int
        var tokens: Int
        var language: String?
        var sha256: String
    }

    func run() throws {
        let snapshot = try workspaceOptions.openSnapshot()
        // Files by path; session messages in transcript order.
        let isSession = snapshot.documents.contains { $0.messageIndex != nil }
        let documents = isSession ? snapshot.documents : snapshot.documents.sorted { $0.path < $1.path }
        if json {
            try JSONOutput.print(documents.map {
                Entry(path: $0.path, lines: $0.lineCount, bytes: $0.byteLength, chars: $0.charLength,
                      tokens: $0.tokens, language: $0.language, sha256: $0.sha256)
            })
        } else {
            for document in documents { print(document.path) }
        }
    }
}
