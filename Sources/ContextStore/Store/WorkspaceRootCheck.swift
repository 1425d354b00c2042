import Foundation

extension WorkspaceLocator {
    /// What makes `/` or the home folder a project all the same.
    public static let projectMarkers = [".git", ".hg", ".svn", ".jj", ".rlmignore"]

    /// Refuses `/` and the home folder unless one of `projectMarkers` is in it: an editor that sends
    /// `rootUri: file:///`, or a command run in `~`, would otherwise start indexing a whole disk.
    public static func checkWorkspaceRoot(_ root: String,
                                          environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let resolved = canonical(root)
        let what: String
        if resolved == "/" {
            what = "the file system root"
        } else if case let home = environment["HOME"] ?? NSHomeDirectory(), !home.isEmpty, resolved == canonical(home) {
            what = "your home folder"
        } else {
            return
        }
        var st = stat()
        let marked = projectMarkers.contains { lstat((resolved == "/" ? "" : resolved) + "/" + $0, &st) == 0 }
        if !marked { throw .workspaceTooBroad(path: root, what: what) }
    }

    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
