import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import Logging

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index a workspace (or refresh its index): files, offsets and full-text search in SQLite.")

    @Argument(help: "The folder to index (default: the indexed folder or git work tree containing the current one).")
    var path: String?

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Option(name: .customLong("max-file-size"), help: "Skip files larger than this many bytes.")
    var maxFileSize: Int = IndexOptions.defaultMaxFileBytes

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "Force the session format: claude, codex, aider or generic (default: detected from the first records).")
    var format: SessionFormat?

    @Option(help: "Import a Claude Code session of this workspace: `latest` or a file.")
    var claude: String?

    @Option(help: "Import a Codex CLI session of this workspace: `latest` or a file.")
    var codex: String?

    @Flag(help: "With a session: build its full-text search index now (otherwise the first search builds it).")
    var search = false

    func validate() throws {
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
        let session = workspaceOptions.session
        if [session, claude, codex].compactMap({ $0 }).count > 1 { throw ValidationError("give one of --session, --claude, --codex") }
        if format != nil && session == nil && claude == nil && codex == nil {
            throw ValidationError("--format goes with --session, --claude or --codex")
        }
        if search && session == nil && claude == nil && codex == nil {
            throw ValidationError("--search goes with --session, --claude or --codex (a workspace's search is built as it is indexed)")
        }
        if path != nil && workspaceOptions.workspace != nil { throw ValidationError("give the folder as PATH or --workspace, not both") }
    }

    func run() throws {
        if let file = try sessionFile() {
            let reporter = ProgressReporter()
            let expected: SessionFormat? = claude != nil ? .claude : codex != nil ? .codex : nil  // for an empty session
            var report = try SessionImporter.refresh(
                file: file, format: format, expected: expected,
                location: workspaceOptions.store.map { StoreLocation(directory: workspaceOptions.absolute($0)) },
                progress: { reporter.report($0) }, logger: Logger(label: "rlmd.sessions"))
            if search && report.searchPending {
                let started = Date()
                try SearchCatchUp.run(StoreLocation(directory: report.store))
                report.searchPending = false
                report.seconds += Date().timeIntervalSince(started)
            }
            if json { try JSONOutput.print(IndexOutput.Session(report)) } else { print(Self.summary(report)) }
            return
        }
        let cwd = FileManager.default.currentDirectoryPath
        let root: String
        if let explicit = path ?? workspaceOptions.workspace {
            root = try WorkspaceLocator.resolveDirectory(explicit, base: cwd)
        } else {
            root = WorkspaceLocator.rootForIndexing(from: try WorkspaceLocator.resolveDirectory(cwd, base: "/"))
        }
        let reporter = ProgressReporter()
        let options = IndexOptions(maxFileBytes: maxFileSize) { reporter.report($0) }
        let report = try Indexer.refresh(root: root, location: workspaceOptions.location(for: root), options: options,
                                         logger: Logger(label: "rlmd.index"))
        if json {
            try JSONOutput.print(IndexOutput.Workspace(report))
        } else {
            print(Self.summary(report))
        }
    }

    private func sessionFile() throws -> String? {
        if let session = workspaceOptions.session { return try SessionFile.resolve(session) }
        if let claude { return try SessionFile.resolve(tool: "claude", spec: claude, workspace: path ?? workspaceOptions.workspace) }
        if let codex { return try SessionFile.resolve(tool: "codex", spec: codex, workspace: path ?? workspaceOptions.workspace) }
        return nil
    }

    static func summary(_ report: SessionImportReport) -> String {
        let roles = report.byRole.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let counts = report.messageCounts
        var lines = [
            "imported \(report.format) session \(report.session)",
            "  \(report.messages) messages: user \(counts.user), assistant \(counts.assistant), tool calls \(counts.toolCalls), tool results \(counts.toolResults)",
            "  documents by role: \(roles.isEmpty ? "none" : roles); \(report.subagents) subagents, \(report.added) new documents",
            "  \(String(format: "%.1f", Double(report.bytes) / 1_048_576)) MiB, ~\(report.tokens) tokens in \(String(format: "%.2f", report.seconds)) s",
        ]
        if report.malformedLines > 0 {
            lines.append("  \(report.malformedLines) malformed lines kept as raw text: \(report.malformedExamples.prefix(3).joined(separator: "; "))")
        }
        if !report.unknownTypes.isEmpty {
            lines.append("  unknown record types kept as raw text: " + report.unknownTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if report.duplicates > 0 { lines.append("  \(report.duplicates) records that repeat another word for word left out") }
        if report.pendingBytes > 0 { lines.append("  \(report.pendingBytes) bytes of an unfinished last line wait for the next import") }
        if report.searchPending { lines.append("  full-text search: built at the first search (or now with --search)") }
        lines.append("  store: \(report.store)")
        return lines.joined(separator: "\n")
    }

    static func summary(_ report: IndexReport) -> String {
        let megabytes = String(format: "%.1f", Double(report.bytes) / 1_048_576)
        let skipped = report.skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var lines = [
            "indexed \(report.root)\(report.git ? " (git)" : "")",
            "  \(report.files) files, \(megabytes) MiB, ~\(report.tokens) tokens",
            "  \(report.changed) changed (\(report.removed) removed) in \(String(format: "%.2f", report.seconds)) s",
        ]
        if !skipped.isEmpty { lines.append("  skipped: \(skipped)") }
        if report.invalidUTF8 > 0 { lines.append("  \(report.invalidUTF8) files had invalid UTF-8 (replaced with U+FFFD)") }
        lines.append("  store: \(report.store)")
        return lines.joined(separator: "\n")
    }
}

extension SessionFormat: ExpressibleByArgument {}
