import ArgumentParser
import ContextStore
import Foundation
import Logging

/// Which context a question is about: a workspace (indexed or refreshed first) or a session
/// (imported or refreshed first), given as `--workspace`, `--session FILE`, `--claude latest` or `--codex latest`.
public struct ContextOptions: ParsableArguments {
    @OptionGroup public var workspaceOptions: WorkspaceOptions

    @Option(help: "A Claude Code session of this workspace: `latest` or a file.")
    public var claude: String?

    @Option(help: "A Codex CLI session of this workspace: `latest` or a file.")
    public var codex: String?

    public init() {}

    public func validate() throws {
        if [workspaceOptions.session, claude, codex].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --session, --claude, --codex")
        }
    }

    /// Whether a session is named (resolving it is `sessionFile()`'s job).
    public var namesSession: Bool { workspaceOptions.session != nil || claude != nil || codex != nil }

    /// The session file named, if any.
    public func sessionFile() throws -> String? {
        if let session = workspaceOptions.session { return try SessionFile.resolve(session) }
        if let claude { return try SessionFile.resolve(tool: "claude", spec: claude, workspace: workspaceOptions.workspace) }
        if let codex { return try SessionFile.resolve(tool: "codex", spec: codex, workspace: workspaceOptions.workspace) }
        return nil
    }

    /// The format `--claude` or `--codex` implies, for a session whose content cannot tell (an empty one).
    public var expectedFormat: SessionFormat? { claude != nil ? .claude : codex != nil ? .codex : nil }

    /// Brings the index up to date (only what changed is read) and opens a snapshot of it.
    public func refreshedSnapshot() throws -> ContextSnapshot {
        let store = workspaceOptions.store.map { StoreLocation(directory: workspaceOptions.absolute($0)) }
        if let file = try sessionFile() {
            return try SessionImporter.refreshedSnapshot(file: file, expected: expectedFormat, location: store,
                                                         logger: Logger(label: "rlmd.sessions"))
        }
        let cwd = workspaceOptions.currentDirectory
        let root: String
        if let workspace = workspaceOptions.workspace {
            root = try WorkspaceLocator.resolveDirectory(workspace, base: cwd)
        } else if store != nil {
            return try workspaceOptions.openSnapshot()
        } else {
            let here = try WorkspaceLocator.resolveDirectory(cwd, base: "/")
            root = WorkspaceLocator.indexedAncestor(of: here) ?? WorkspaceLocator.rootForIndexing(from: here)
        }
        let location = workspaceOptions.location(for: root)
        _ = try Indexer.refresh(root: root, location: location, logger: Logger(label: "rlmd.index"))
        return try ContextSnapshot.open(location)
    }
}
