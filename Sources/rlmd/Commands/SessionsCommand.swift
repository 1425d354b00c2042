import ArgumentParser
import CLISupport
import ContextStore
import Foundation

struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the Claude Code, Codex and Aider sessions of a workspace, newest first.")

    @Option(help: "The workspace (default: the git work tree or folder containing the current one).")
    var workspace: String?

    @Flag(help: "Print a JSON list of {tool, id, path, first_timestamp, last_timestamp, messages, bytes, title, modified}.")
    var json = false

    /// One session as `--json` prints it: snake_case keys, the timestamps and title left out when unknown.
    struct Entry: Encodable {
        var tool, id, path: String
        var first_timestamp, last_timestamp: String?
        var messages: Int
        var bytes: Int64
        var title: String?
        var modified: Double
    }

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let base = try WorkspaceLocator.resolveDirectory(workspace ?? cwd, base: cwd)
        let root = workspace == nil ? (WorkspaceLocator.gitTopLevel(of: base) ?? base) : base
        let sessions = SessionDiscovery.all(workspace: root)
        if json {
            try JSONOutput.print(sessions.map {
                Entry(tool: $0.tool, id: $0.id, path: $0.path, first_timestamp: $0.firstTimestamp, last_timestamp: $0.lastTimestamp,
                      messages: $0.messages, bytes: $0.bytes, title: $0.title, modified: $0.modified)
            })
            return
        }
        if sessions.isEmpty {
            print("no sessions found for \(root)")
            return
        }
        for session in sessions {
            let span = [session.firstTimestamp, session.lastTimestamp].compactMap { $0 }.joined(separator: " .. ")
            let title = session.title.map { "  \($0)" } ?? ""
            print("\(session.tool)\t\(session.id)\t\(span)\t\(session.messages) messages\t\(session.bytes) bytes\(title)")
            print("\t\(session.path)")
        }
    }
}
