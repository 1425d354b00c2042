/// What one `rlmd index` run did (the CLI's `IndexOutput.Workspace` is what `--json` prints).
public struct IndexReport: Sendable, Equatable {
    public var root: String
    public var store: String
    /// Documents in the index after the run.
    public var files: Int
    /// Content bytes of those documents.
    public var bytes: Int
    public var tokens: Int
    public var skipped: [String: Int]
    /// Documents added, modified or removed by this run.
    public var changed: Int
    public var removed: Int
    /// Documents whose invalid UTF-8 was replaced with U+FFFD.
    public var invalidUTF8: Int
    public var git: Bool
    public var seconds: Double
}

/// Progress of a run, for a progress bar or log lines.
public struct IndexProgress: Sendable {
    public enum Phase: Sendable { case listing, reading, done }
    public var phase: Phase
    public var done: Int
    public var total: Int
    public var path: String?
    /// What `done` and `total` count: "files", or "MiB" for a session import.
    public var unit = "files"

    public init(phase: Phase, done: Int, total: Int, path: String?, unit: String = "files") {
        self.phase = phase
        self.done = done
        self.total = total
        self.path = path
        self.unit = unit
    }
}

public struct IndexOptions: Sendable {
    public var maxFileBytes: Int
    public var progress: (@Sendable (IndexProgress) -> Void)?

    public static let defaultMaxFileBytes = 1 << 20

    public init(maxFileBytes: Int = IndexOptions.defaultMaxFileBytes, progress: (@Sendable (IndexProgress) -> Void)? = nil) {
        self.maxFileBytes = maxFileBytes
        self.progress = progress
    }
}
