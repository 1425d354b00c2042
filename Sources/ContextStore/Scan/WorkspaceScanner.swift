import Foundation

/// A regular file the scan found, with the `lstat` taken while listing.
public struct ListedFile: Sendable {
    public var path: String
    public var stat: FileStat
}

public struct WorkspaceListing: Sendable {
    public var files: [ListedFile] = []
    public var skipped: [SkipReason: Int] = [:]
    public var usedGit = false
}

/// Lists the files of a workspace the way git would: git's own listing inside a work tree,
/// our `.gitignore` matcher elsewhere, and `.rlmignore` on top of both.
public enum WorkspaceScanner {
    public static let rlmIgnoreFile = ".rlmignore"

    public static func list(root: String) -> WorkspaceListing {
        if let gitListing = gitListing(root: root) { return gitListing }
        return walk(root: root)
    }

    // MARK: git

    private static func gitListing(root: String) -> WorkspaceListing? {
        guard let git = ProcessRunner.which("git") else { return nil }
        var gitEnvironment = ProcessInfo.processInfo.environment
        gitEnvironment["GIT_OPTIONAL_LOCKS"] = "0"
        let environment = gitEnvironment
        // The ignored count comes from a second listing that runs alongside the first.
        let ignoredCount = LockedBox(0)
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            defer { group.leave() }
            let args = ["-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]
            if let output = try? ProcessRunner.run(git, args, environment: environment), output.status == 0 {
                ignoredCount.value = output.stdout.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
            }
        }
        let args = ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        guard let output = try? ProcessRunner.run(git, args, environment: environment), output.status == 0 else {
            group.wait()
            return nil
        }
        var listing = WorkspaceListing(usedGit: true)
        var paths: [String] = []
        var seen = Set<String>()
        for raw in output.stdout.split(separator: 0, omittingEmptySubsequences: true) {
            let path = String(decoding: raw, as: UTF8.self)
            // Unmerged entries repeat once per stage; nested repositories end in '/'.
            if path.hasSuffix("/") { listing.skipped[.notRegular, default: 0] += 1; continue }
            if seen.insert(path).inserted { paths.append(path) }
        }
        var rlmIgnore = IgnoreRules()
        for path in paths where path == rlmIgnoreFile || path.hasSuffix("/" + rlmIgnoreFile) {
            let directory = path == rlmIgnoreFile ? "" : String(path.dropLast(rlmIgnoreFile.count + 1))
            rlmIgnore.load(file: rlmIgnoreFile, directory: directory, root: root)
        }
        for path in paths {
            if rlmIgnore.isExcluded(path: path, isDirectory: false) {
                listing.skipped[.ignored, default: 0] += 1
                continue
            }
            classify(path: path, root: root, into: &listing)
        }
        group.wait()
        if ignoredCount.value > 0 { listing.skipped[.ignored, default: 0] += ignoredCount.value }
        return listing
    }

    private static func classify(path: String, root: String, into listing: inout WorkspaceListing) {
        guard let stat = FileStat.of(path: "\(root)/\(path)") else {
            listing.skipped[.vanished, default: 0] += 1
            return
        }
        switch stat.kind {
        case .regular: listing.files.append(ListedFile(path: path, stat: stat))
        case .symlink: listing.skipped[.symlink, default: 0] += 1
        case .directory, .other: listing.skipped[.notRegular, default: 0] += 1
        }
    }

    // MARK: outside git

    /// Depth-first walk honouring `.gitignore` and `.rlmignore` files at every level.
    private static func walk(root: String) -> WorkspaceListing {
        var listing = WorkspaceListing()
        var gitIgnore = IgnoreRules()
        var rlmIgnore = IgnoreRules()
        var pending = [""]
        let fileManager = FileManager.default
        while let directory = pending.popLast() {
            let absolute = directory.isEmpty ? root : "\(root)/\(directory)"
            gitIgnore.load(file: ".gitignore", directory: directory, root: root)
            rlmIgnore.load(file: rlmIgnoreFile, directory: directory, root: root)
            guard let names = try? fileManager.contentsOfDirectory(atPath: absolute) else {
                if !directory.isEmpty { listing.skipped[.unreadable, default: 0] += 1 }
                continue
            }
            var subdirectories: [String] = []
            for name in names.sorted() where name != ".git" {
                let path = directory.isEmpty ? name : "\(directory)/\(name)"
                guard let stat = FileStat.of(path: "\(root)/\(path)") else {
                    listing.skipped[.vanished, default: 0] += 1
                    continue
                }
                let isDirectory = stat.kind == .directory
                if gitIgnore.verdict(path: path, isDirectory: isDirectory) == true
                    || rlmIgnore.verdict(path: path, isDirectory: isDirectory) == true {
                    listing.skipped[.ignored, default: 0] += 1
                    continue
                }
                switch stat.kind {
                case .directory: subdirectories.append(path)
                case .regular: listing.files.append(ListedFile(path: path, stat: stat))
                case .symlink: listing.skipped[.symlink, default: 0] += 1
                case .other: listing.skipped[.notRegular, default: 0] += 1
                }
            }
            pending.append(contentsOf: subdirectories.reversed())
        }
        return listing
    }
}
