import ContextStore
import Foundation

/// Turns what the user named (a path, or `latest` for `--claude`/`--codex`) into a session file.
public enum SessionFile {
    public static func resolve(_ path: String) throws -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = path.hasPrefix("/") ? path : "\(cwd)/\(path)"
        guard let resolved = realpath(absolute, nil) else { throw CLIError("no such session file: \(path)") }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `latest` means the newest session of `tool` for the workspace containing the current folder.
    public static func resolve(tool: String, spec: String, workspace: String?) throws -> String {
        guard spec == "latest" else { return try resolve(spec) }
        let cwd = FileManager.default.currentDirectoryPath
        let base = try WorkspaceLocator.resolveDirectory(workspace ?? cwd, base: cwd)
        let root = WorkspaceLocator.gitTopLevel(of: base) ?? base
        for candidate in [base, root] {
            if let path = SessionDiscovery.latest(tool: tool, workspace: candidate) { return path }
        }
        let home = tool == "codex" ? SessionDiscovery.codexHome() + "/sessions" : SessionDiscovery.claudeHome() + "/projects"
        throw CLIError("no \(tool == "codex" ? "Codex" : "Claude Code") session found for \(root) under \(home)")
    }
}
