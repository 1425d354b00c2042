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
        var tool: String
        var id: String
        var path: String
        var first_timestamp: String?
        var last_timestamp: String?
        var messages: Int
        var bytes: Int64
        var title: String?
        var modified: Double

        init(_ session: DiscoveredSession) {
            tool = session.tool
            id = session.id
            path = session.path
            first_timestamp = session.firstTimestamp
            last_timestamp = session.lastTimestamp
            messages = session.messages
            bytes = session.bytes
            title = session.title
            modified = session.modified
        }
    }

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let base = try WorkspaceLocator.resolveDirectory(workspace ?? cwd, base: cwd)
        let root = workspace == nil ? (WorkspaceLocator.gitTopLevel(of: base) ?? base) : base
        let sessions = SessionDiscovery.all(workspace: root)
        if json {
            try JSONOutput.print(sessions.map(Entry.init))
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
