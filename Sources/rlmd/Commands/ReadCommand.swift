import ArgumentParser
import CLISupport
import ContextStore
import Foundation

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print lines of an indexed file exactly as indexed.",
        discussion: "PATH[:START[-END]] with 1-based, inclusive line numbers, e.g. src/app.py:10-20 or src/app.py:42.")

    @Argument(help: "PATH[:START[-END]], relative to the workspace root or the current folder.")
    var target: String

    @OptionGroup var workspaceOptions: WorkspaceOptions

    func run() throws {
        let (root, _) = try workspaceOptions.existingIndex()
        let snapshot = try workspaceOptions.openSnapshot()
        let spec = try LineSpec(target)
        let path = try PathResolver.indexedPath(spec.path, root: root, snapshot: snapshot)
        let text = try snapshot.lines(path: path, startLine: spec.start, endLine: spec.end)
        StandardStreams.out(text)
    }
}

/// `PATH`, `PATH:START` or `PATH:START-END`. A colon not followed by a line number stays in the path.
struct LineSpec: Equatable {
    var path: String
    var start: Int?
    var end: Int?

    init(_ text: String) throws {
        if let colon = text.lastIndex(of: ":") {
            let range = text[text.index(after: colon)...]
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            if !range.isEmpty, bounds.count <= 2, let first = Int(bounds[0]) {
                let last = bounds.count == 2 ? Int(bounds[1]) : first
                guard let last, first >= 1, last >= first else {
                    throw CLIError("bad line range \(range): use START or START-END with 1 <= START <= END")
                }
                path = String(text[..<colon])
                start = first
                end = last
                return
            }
        }
        path = text
    }
}

/// Maps what a user typed to an indexed path: relative to the current folder when that names
/// a file inside the root, otherwise relative to the root.
enum PathResolver {
    static func indexedPath(_ typed: String, root: String, snapshot: ContextSnapshot) throws -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = typed.hasPrefix("/") ? typed : "\(cwd)/\(typed)"
        let standardized = (absolute as NSString).standardizingPath
        let resolvedRoot = (root as NSString).standardizingPath
        if standardized.hasPrefix(resolvedRoot + "/") {
            let relative = String(standardized.dropFirst(resolvedRoot.count + 1))
            if snapshot.document(path: relative) != nil { return relative }
        }
        if let realCwd = try? WorkspaceLocator.resolveDirectory(cwd, base: "/"), realCwd.hasPrefix(resolvedRoot + "/") || realCwd == resolvedRoot {
            let prefix = realCwd == resolvedRoot ? "" : String(realCwd.dropFirst(resolvedRoot.count + 1)) + "/"
            let candidate = ((prefix + typed) as NSString).standardizingPath
            if snapshot.document(path: candidate) != nil { return candidate }
        }
        let trimmed = typed.hasPrefix("./") ? String(typed.dropFirst(2)) : typed
        if snapshot.document(path: trimmed) != nil { return trimmed }
        throw StoreError.unknownPath(typed)
    }
}
