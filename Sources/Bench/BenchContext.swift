import ContextStore
import Foundation
import Logging

/// A context a suite asks about: generated files written into a folder (or a repository's own folder)
/// and indexed into a store of its own, exactly as a workspace is, so questions about it take the same
/// path as any other.
public struct BenchContext: Sendable {
    public enum Source: Sendable {
        /// Paths relative to the context's folder, and their bytes.
        case files([(path: String, data: Data)])
        /// A folder indexed where it is (a repository).
        case directory(String)
    }

    public var name: String
    public var source: Source

    public init(name: String, files: [(path: String, data: Data)]) {
        self.name = name
        source = .files(files)
    }

    public init(name: String, directory: String) {
        self.name = name
        source = .directory(directory)
    }

    /// A context and the questions asked about it.
    public struct WithTasks: Sendable {
        public var context: BenchContext
        public var tasks: [BenchTask]
    }

    /// A context not built yet: suites list them first, so `--limit` and `--resume` build only what runs.
    public struct Plan: Sendable {
        public var name: String
        public var tokens: Int
        public var build: @Sendable () throws -> WithTasks
    }

    public var bytes: Int {
        if case .files(let files) = source { return files.reduce(0) { $0 + $1.data.count } }
        return 0
    }

    /// FNV-1a over paths and bytes: tells a folder holding this very context from an older one.
    var digest: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        guard case .files(let files) = source else { return hash }
        for file in files {
            for byte in file.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            file.data.withUnsafeBytes { raw in
                for byte in raw { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            }
        }
        return hash
    }

    /// Writes generated files under `folder/files` and indexes them into `folder/store` (a folder that
    /// holds this very context already — its `stamp`: name, size and digest — is reused, as on
    /// `--resume`); a directory is indexed where it is (a refresh reads only what changed).
    public func materialize(in folder: String, logger: Logger = Logger(label: "rlmd.bench")) throws -> ContextSnapshot {
        let store = StoreLocation(directory: folder + "/store")
        // A generated document may be tens of megabytes: no size cap for those.
        switch source {
        case .directory(let root):
            _ = try Indexer.refresh(root: root, location: store, logger: logger)
        case .files(let files):
            let root = folder + "/files", stampPath = folder + "/stamp"
            let stamp = "\(name) \(bytes) \(files.count) \(String(digest, radix: 16))"
            if (try? String(contentsOfFile: stampPath, encoding: .utf8)) == stamp, let snapshot = try? ContextSnapshot.open(store) {
                return snapshot
            }
            try? FileManager.default.removeItem(atPath: folder)
            for file in files {
                let path = root + "/" + file.path
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: path, contents: file.data) else { throw BenchError.input("cannot write \(path)") }
            }
            _ = try Indexer.refresh(root: root, location: store, options: IndexOptions(maxFileBytes: 1 << 40), logger: logger)
            try Data(stamp.utf8).write(to: URL(fileURLWithPath: stampPath))
        }
        return try ContextSnapshot.open(store)
    }
}
