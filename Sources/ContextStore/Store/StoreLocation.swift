import Foundation

/// Where the index of one workspace root lives: `$XDG_CACHE_HOME/rlmd/<name>-<hash>/`
/// (default `~/.cache/rlmd/`), or a folder the user names with `--store`.
public struct StoreLocation: Sendable, Equatable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var databasePath: String { "\(directory)/index.sqlite" }
    public var lockPath: String { "\(directory)/lock" }
    public func contextFilePath(generation: Int) -> String { "\(directory)/context-\(generation).txt" }

    /// Creates the folder if needed and checks that it is writable.
    func prepareDirectory() throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: directory, reason: (error as NSError).localizedDescription)
        }
        guard access(directory, W_OK) == 0 else { throw .notWritable(path: directory, reason: "permission denied") }
    }

    public static func cacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return "\(xdg)/rlmd" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.cache/rlmd"
    }

    /// The default store of a session file (an absolute, resolved path).
    public static func forSession(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        let workspaceStyle = forWorkspace(root: file, environment: environment)
        let name = (workspaceStyle.directory as NSString).lastPathComponent
        return StoreLocation(directory: "\(cacheRoot(environment: environment))/sessions/\(name)")
    }

    /// The default store of a workspace root (an absolute, resolved path).
    public static func forWorkspace(root: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        let name = (root as NSString).lastPathComponent
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }.prefix(40))
        let digest = SHA256.hex(SHA256.hash(Array(root.utf8))).prefix(16)
        return StoreLocation(directory: "\(cacheRoot(environment: environment))/\(safeName.isEmpty ? "root" : safeName)-\(digest)")
    }
}
