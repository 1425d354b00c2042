import Foundation

/// Finds the workspace root a command means, from a path the user gave or the current folder.
public enum WorkspaceLocator {
    /// `path` made absolute against `base`, with symlinks resolved; it must be an existing folder.
    public static func resolveDirectory(_ path: String, base: String) throws(StoreError) -> String {
        let absolute = path.hasPrefix("/") ? path : "\(base)/\(path)"
        guard let stat = FileStat.of(path: absolute) else { throw .workspaceNotFound(path: path) }
        guard let resolved = realpath(absolute, nil) else { throw .workspaceNotFound(path: path) }
        defer { free(resolved) }
        let result = String(cString: resolved)
        if stat.kind != .directory {
            guard FileStat.of(path: result)?.kind == .directory else { throw .notADirectory(path: path) }
        }
        return result
    }

    /// The nearest folder at or above `directory` that has an index in the default cache.
    public static func indexedAncestor(of directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var current = directory
        while true {
            let location = StoreLocation.forWorkspace(root: current, environment: environment)
            if FileManager.default.fileExists(atPath: location.databasePath) { return current }
            if current == "/" || current.isEmpty { return nil }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    /// False when no `.git` (folder or file) exists in `directory` or above it and git is not
    /// pointed elsewhere by `GIT_DIR`/`GIT_WORK_TREE`: then asking git costs two processes (~15 ms
    /// each) only to hear "not a git repository".
    public static func mayBeInGitWorkTree(_ directory: String,
                                          environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if environment["GIT_DIR"] != nil || environment["GIT_WORK_TREE"] != nil { return true }
        var current = directory
        while true {
            var st = stat()
            if lstat(current + "/.git", &st) == 0 { return true }
            if current == "/" || current.isEmpty { return false }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    /// The git work tree's top folder containing `directory`, if any.
    public static func gitTopLevel(of directory: String) -> String? {
        guard mayBeInGitWorkTree(directory), let git = ProcessRunner.which("git"),
              let output = try? ProcessRunner.run(git, ["-C", directory, "rev-parse", "--show-toplevel"], timeout: WorkspaceScanner.gitTimeout),
              output.status == 0 else { return nil }
        let top = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return top.isEmpty ? nil : top
    }

    /// The root `rlmd index` uses without an explicit path: an already indexed ancestor,
    /// else the git work tree, else the folder itself.
    public static func rootForIndexing(from directory: String) -> String {
        indexedAncestor(of: directory) ?? gitTopLevel(of: directory) ?? directory
    }
}
