import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// A sandboxed python3 REPL whose `context` variable is a whole context.
///
/// Cells run one at a time; variables persist across them until the process has to be replaced
/// (a cell that ignores its interrupt, kills itself, or breaks the protocol), which the next
/// result says through `stateLost`. Sub-calls from model code go to `subCalls`; `search` is
/// answered from the snapshot. The REPL knows nothing of language models.
public actor ReplProcess {
    /// Chosen from the tools on PATH; tried for real (`Sandbox.verify`) only when a start fails.
    public private(set) var sandbox: Sandbox
    let context: ReplContext
    let options: ReplOptions
    let subCalls: SubCallHandler
    var state: State = .idle
    var nextCell = 0

    public init(context: ReplContext, options: ReplOptions = ReplOptions(),
                subCalls: @escaping SubCallHandler = { _ in throw ReplError("no language model is connected to this REPL") }) {
        self.init(context: context, options: options, sandbox: Sandbox.detect(options.isolation), subCalls: subCalls)
    }

    init(context: ReplContext, options: ReplOptions, sandbox: Sandbox, subCalls: @escaping SubCallHandler) {
        self.context = context
        self.options = options
        self.subCalls = subCalls
        self.sandbox = sandbox
    }

    /// Starts the sandbox and loads the context (done by the first `execute` otherwise).
    @discardableResult
    public func start() async throws -> ReplReady {
        switch state {
        case .ready(let live), .running(let live, _):
            return live.ready
        case .starting(let task):
            // One start at a time: a caller that warms the REPL up and a cell that needs it share it.
            return try await task.value
        case .idle:
            // Unstructured, so that one caller's cancellation does not end a start others wait for.
            let task = Task { try await self.launch() }
            state = .starting(task)
            return try await task.value
        }
    }

    /// The body of the start task. It moves the state itself, so no caller resumes before it is ready.
    /// Only `close` cancels it, and has set the state to idle then.
    private func launch() async throws -> ReplReady {
        let live: Live
        do {
            live = try await startWithFallback()
        } catch {
            if Task.isCancelled { throw Self.closedWhileStarting }
            state = .idle
            throw error
        }
        guard !Task.isCancelled else {
            live.connection.close()
            throw Self.closedWhileStarting
        }
        state = .ready(live)
        return live.ready
    }

    private static let closedWhileStarting = ReplError("the REPL was closed while it started")

    private func startWithFallback() async throws -> Live {
        do {
            return try await spawn()
        } catch {
            // The tools were found, not tried: see which sandbox really works, and try that once.
            guard !sandbox.verified, !Task.isCancelled else { throw error }
            sandbox = Sandbox.verify(options.isolation)
            return try await spawn()
        }
    }

    /// Interrupts the running cell (a `KeyboardInterrupt` in Python; variables survive). If the
    /// cell does not stop within the grace period, the process is replaced.
    public func interrupt() {
        guard case .running(_, let cell) = state else { return }
        stop(cell: cell.id, cause: .interrupt)
    }

    /// Ends the Python process and removes its scratch folder.
    public func close() {
        switch state {
        case .idle: return
        case .starting(let task): task.cancel()
        case .ready(let live): live.connection.close()
        case .running(let live, let cell):
            live.connection.close()
            cell.requests.forEach { $0.cancel() }
        }
        state = .idle
    }

    static let stateLost = "the Python process was replaced and variables from earlier cells are gone"

    func describe(status: Int32) -> String {
        guard status > 128 else { return "exit status \(status)" }
        let signal = status - 128
        let names: [Int32: String] = [SIGKILL: "SIGKILL (killed; out of memory?)", SIGXCPU: "SIGXCPU (CPU limit)",
                                      SIGSEGV: "SIGSEGV", SIGXFSZ: "SIGXFSZ (file size limit)", SIGABRT: "SIGABRT"]
        return "signal " + (names[signal] ?? "\(signal)")
    }
}
