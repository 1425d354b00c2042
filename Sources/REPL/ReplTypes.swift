import Foundation

/// A call from model code that the REPL cannot answer itself. The engine answers it.
public enum SubCall: Sendable, Equatable {
    /// `llm_query(prompt, model)`; `llm_query_batched` arrives as one of these per prompt, with its place in the batch.
    case llmQuery(prompt: String, model: String?, batch: BatchPosition? = nil)
    /// `rlm_query(prompt, context)`: a child RLM over `context` (nil: the same context).
    case rlmQuery(prompt: String, context: String?)
}

/// Where a prompt of one `llm_query_batched` call sits, so its answers can be shown together.
public struct BatchPosition: Sendable, Equatable, Codable {
    /// The batch's request id: unique among the requests of one Python process.
    public var request: Int
    public var index: Int
    public var count: Int

    public init(request: Int, index: Int, count: Int) {
        self.request = request
        self.index = index
        self.count = count
    }
}

/// Answers sub-calls. A thrown error reaches model code as a string starting "Error:".
public typealias SubCallHandler = @Sendable (SubCall) async throws -> String

/// What one cell did.
public struct CellResult: Sendable, Equatable, Codable {
    public var stdout: String
    public var stderr: String
    /// A short traceback (cell lines only), a syntax error, or what happened to the process.
    public var error: String?
    public var durationMs: Double
    /// Set only when the cell called `FINAL` or `FINAL_VAR`.
    public var final: String?
    public var timedOut: Bool
    /// The Python process was replaced: variables from earlier cells are gone.
    public var stateLost: Bool

    public init(stdout: String = "", stderr: String = "", error: String? = nil, durationMs: Double = 0,
                final: String? = nil, timedOut: Bool = false, stateLost: Bool = false) {
        self.stdout = stdout
        self.stderr = stderr
        self.error = error
        self.durationMs = durationMs
        self.final = final
        self.timedOut = timedOut
        self.stateLost = stateLost
    }
}

/// Limits applied to the Python process (`setrlimit`, soft = hard). Zero leaves one unset.
public struct ReplLimits: Sendable, Equatable {
    public var addressSpaceBytes: Int = 8 << 30
    public var cpuSeconds: Int = 3600
    public var fileSizeBytes: Int = 1 << 30
    /// Processes (threads count) the sandbox may add. Enforced for users other than root; as root
    /// the sandbox runs as `nobody`, and the limit is this many beyond what `nobody` runs already.
    public var processes: Int = 256
    /// Resident memory of the sandbox's whole process tree that no file backs (a mapped context does
    /// not count), watched while a cell runs; over it,
    /// the tree is killed and the next cell starts afresh. nil: 2 GiB plus 3 bytes per byte of
    /// context; zero: not watched.
    public var treeMemoryBytes: Int?

    public init() {}

    /// The tree's cap for a context of `contextBytes` UTF-8 bytes; nil when not watched.
    public func treeMemoryCap(contextBytes: Int) -> Int? {
        guard let treeMemoryBytes else { return (2 << 30) + 3 * contextBytes }
        return treeMemoryBytes > 0 ? treeMemoryBytes : nil
    }
}

public struct ReplOptions: Sendable {
    /// The python3 to run; nil: `RLMD_PYTHON`, else `python3` on `PATH`.
    public var python: String?
    public var limits = ReplLimits()
    public var cellTimeout: Duration = .seconds(120)
    /// How long an interrupted cell may take to stop before the process is killed.
    public var interruptGrace: Duration = .seconds(2)
    /// Chars of stdout (and of stderr) a cell returns: head and tail halves.
    public var outputLimit = 20_000
    /// Sub-calls of one `llm_query_batched` answered at once.
    public var batchConcurrency = 16
    /// `context` holds every char as it is: a context with a char above U+FFFF becomes a 4-byte str
    /// (up to 4 bytes per UTF-8 byte). Off, such chars stand as U+FFFD in `context` (2 bytes per char
    /// at most) while `read`, `grep` and `exact_text` give them back.
    public var exactText = false
    /// Use no sandbox layer that needs bubblewrap or unshare (tests of the fallback).
    public var isolation: Isolation = .strongest

    public enum Isolation: String, Sendable {
        case strongest, unshare, none
    }

    public init() {}
}

public struct ReplError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
