import ContextStore
import Foundation

/// A temporary folder tree for one test, removed when the test ends.
public final class Fixture {
    public let root: String
    public let store: StoreLocation

    public init(git: Bool = false) throws {
        let base = FileManager.default.temporaryDirectory.path + "/rlmd-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base + "/tree", withIntermediateDirectories: true)
        // realpath: /tmp may itself be a symlink, and the indexer stores resolved roots.
        root = try WorkspaceLocator.resolveDirectory(base + "/tree", base: "/")
        store = StoreLocation(directory: base + "/store")
        if git { try runGit("init", "-q") }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent)
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    public func write(_ path: String, _ data: Data) throws {
        let full = "\(root)/\(path)"
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: "\(root)/\(path)")
    }

    public func move(_ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: "\(root)/\(from)", toPath: "\(root)/\(to)")
    }

    /// Sets a file's mtime into the past so the racy-mtime check does not force a re-read.
    public func age(_ path: String, seconds: TimeInterval = 60) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: "\(root)/\(path)")
    }

    public func ageAll() throws {
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            if path.hasPrefix(".git") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(path)", isDirectory: &isDirectory), !isDirectory.boolValue {
                try? age(path)
            }
        }
    }

    @discardableResult
    public func index(maxFileBytes: Int = IndexOptions.defaultMaxFileBytes) throws -> IndexReport {
        try Indexer.refresh(root: root, location: store, options: IndexOptions(maxFileBytes: maxFileBytes))
    }

    public func snapshot() throws -> ContextSnapshot { try ContextSnapshot.open(store) }

    @discardableResult
    public func runGit(_ arguments: String...) throws -> String {
        try Self.run("/usr/bin/env", ["git", "-C", root, "-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments)
    }

    public static var hasGit: Bool { (try? run("/usr/bin/env", ["git", "--version"])) != nil }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "Fixture", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(arguments) failed"])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ContextSnapshot {
    /// The whole logical context, for checking offsets against.
    public var wholeContext: String { slice(chars: 0..<totalChars) }
}
