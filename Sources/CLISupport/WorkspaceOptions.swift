import ArgumentParser
import ContextStore
import Foundation

/// `--workspace` and `--store`, shared by every command that uses a store.
public struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace root (default: the indexed folder containing the current one).")
    public var workspace: String?

    @Option(name: .long, help: "The store folder (default: $XDG_CACHE_HOME/rlmd/<workspace>-<hash>).")
    public var store: String?

    @Option(name: .long, help: "Use the context of this imported session file instead of a workspace.")
    public var session: String?

    public init() {}

    public var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// The root and store of an existing index, for the read-only commands.
    public func existingIndex() throws -> (root: String, location: StoreLocation) {
        let cwd = currentDirectory
        if let session {
            let file = try SessionFile.resolve(session)
            return (file, store.map { StoreLocation(directory: absolute($0)) } ?? StoreLocation.forSession(file: file))
        }
        if let workspace {
            let root = try WorkspaceLocator.resolveDirectory(workspace, base: cwd)
            return (root, location(for: root))
        }
        if let store {
            let location = StoreLocation(directory: absolute(store))
            return (try StoreDatabase.root(of: location), location)
        }
        let here = try WorkspaceLocator.resolveDirectory(cwd, base: "/")
        guard let root = WorkspaceLocator.indexedAncestor(of: here) else { throw StoreError.noIndex(path: here) }
        return (root, location(for: root))
    }

    public func location(for root: String) -> StoreLocation {
        store.map { StoreLocation(directory: absolute($0)) } ?? StoreLocation.forWorkspace(root: root)
    }

    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "\(currentDirectory)/\(path)"
    }

    public func openSnapshot() throws -> ContextSnapshot {
        let (root, location) = try existingIndex()
        do {
            return try ContextSnapshot.open(location)
        } catch {
            if case .noIndex = error {
                throw CLIError(session != nil ? "\(root) is not imported yet: run `rlmd index --session \(root)` first"
                                              : "\(root) is not indexed yet: run `rlmd index \(root)` first")
            }
            throw error
        }
    }
}
