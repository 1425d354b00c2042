import Foundation
import Logging
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

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

    /// How long git may take to list a workspace before it is killed and rlmd walks the tree
    /// itself: `RLMD_GIT_TIMEOUT` seconds, default 20 (git's own ignore matching can take forever,
    /// e.g. on a line of many `**/`).
    public static let gitTimeout: Duration = {
        let seconds = ProcessInfo.processInfo.environment["RLMD_GIT_TIMEOUT"].flatMap(Double.init) ?? 20
        return .milliseconds(Int64(max(seconds, 0.001) * 1000))
    }()

    /// Roots where git ran out of time in this process: later listings walk at once rather than
    /// wait for git again (a daemon refreshes before every question).
    private static let gitTimedOut = Locked<Set<String>>([])

    public static func list(root: String, logger: Logger = Logger(label: "rlmd.scan")) -> WorkspaceListing {
        start(root: root, logger: logger).finish()
    }

    /// Starts listing `root`: git's listings run in the background until `finish()`, so the
    /// caller can open its database meanwhile.
    public static func start(root: String, logger: Logger = Logger(label: "rlmd.scan")) -> PendingListing {
        PendingListing(root: root, git: startGit(root: root, logger: logger), logger: logger)
    }

    public struct PendingListing {
        let root: String
        fileprivate let git: (main: ProcessRunner.Running, ignored: ProcessRunner.Running?)?
        let logger: Logger

        public func finish() -> WorkspaceListing {
            guard let git else { return WorkspaceScanner.walk(root: root) }
            guard let main = git.main.finish() else {
                git.ignored?.kill()
                WorkspaceScanner.gitTimedOut.withLock { _ = $0.insert(root) }
                logger.warning("""
                    git ls-files took over \(WorkspaceScanner.gitTimeout) in \(root) and was killed; \
                    listing with rlmd's own walker for the rest of this process (it reads .gitignore files as \
                    git does, but also leaves out tracked files that they match)
                    """)
                return WorkspaceScanner.walk(root: root)
            }
            if let listing = WorkspaceScanner.gitListing(root: root, main: main, ignored: git.ignored?.finish()) {
                return listing
            }
            return WorkspaceScanner.walk(root: root)
        }

        /// Kills and reaps the git children without using their output.
        public func discard() {
            git?.main.kill()
            git?.ignored?.kill()
        }
    }

    // MARK: git

    private static func startGit(root: String, logger: Logger) -> (main: ProcessRunner.Running, ignored: ProcessRunner.Running?)? {
        guard WorkspaceLocator.mayBeInGitWorkTree(root), let git = ProcessRunner.which("git") else { return nil }
        if gitTimedOut.withLock({ $0.contains(root) }) {
            logger.debug("git timed out in \(root) earlier in this process; walking the tree")
            return nil
        }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        guard let main = try? ProcessRunner.start(
            git, ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            environment: environment, timeout: gitTimeout)
        else { return nil }
        // Ignored entries are only counted, by a second listing that runs alongside.
        let ignored = try? ProcessRunner.start(
            git, ["-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            environment: environment, timeout: gitTimeout)
        return (main, ignored)
    }

    /// nil when git failed, e.g. outside a work tree.
    private static func gitListing(root: String, main: ProcessRunner.Output, ignored: ProcessRunner.Output?) -> WorkspaceListing? {
        guard main.status == 0 else { return nil }
        var listing = WorkspaceListing(usedGit: true)
        var paths: [String] = []
        main.stdout.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var start = 0
            for index in 0..<bytes.count where bytes[index] == 0 {
                defer { start = index + 1 }
                guard index > start else { continue }
                // Nested repositories are listed as "dir/".
                if bytes[index - 1] == UInt8(ascii: "/") {
                    listing.skipped[.notRegular, default: 0] += 1
                    continue
                }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                // Unmerged entries repeat once per stage, next to each other (the listing is sorted).
                if paths.last != path { paths.append(path) }
            }
        }
        var rlmIgnore = IgnoreRules()
        for path in paths where path == rlmIgnoreFile || path.hasSuffix("/" + rlmIgnoreFile) {
            let directory = path == rlmIgnoreFile ? "" : String(path.dropLast(rlmIgnoreFile.count + 1))
            rlmIgnore.load(file: rlmIgnoreFile, directory: directory, root: root)
        }
        let rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if rootDescriptor >= 0 { close(rootDescriptor) } }
        for path in paths {
            if rlmIgnore.isExcluded(path: path, isDirectory: false) {
                listing.skipped[.ignored, default: 0] += 1
                continue
            }
            let stat = rootDescriptor >= 0 ? FileStat.of(path: path, relativeTo: rootDescriptor) : FileStat.of(path: "\(root)/\(path)")
            classify(path: path, stat: stat, into: &listing)
        }
        if let ignored, ignored.status == 0 {
            listing.skipped[.ignored, default: 0] += ignored.stdout.reduce(0) { $1 == 0 ? $0 + 1 : $0 }
        }
        return listing
    }

    private static func classify(path: String, stat: FileStat?, into listing: inout WorkspaceListing) {
        guard let stat else {
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
