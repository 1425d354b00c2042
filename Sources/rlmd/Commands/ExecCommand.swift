import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import REPL

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run Python cells in the sandboxed REPL over an indexed context, as the model would.",
        discussion: """
            Cells run in one REPL, in order: every --code, then every FILE ('-' reads stdin). Variables persist \
            across them. The REPL offers context, docs, read, grep, search, llm_query, llm_query_batched, rlm_query, \
            FINAL, FINAL_VAR and SHOW_VARS. Exit 0; 1 when a cell raised; 3 when a cell timed out.
            """)

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Option(name: .customLong("code"), help: "A cell to run (repeatable).")
    var cells: [String] = []

    @Argument(help: "Files of Python to run as cells after the --code ones ('-' for stdin).")
    var files: [String] = []

    @Option(help: "Seconds a cell may run before it is interrupted.")
    var timeout: Double = 120

    @Option(help: "Chars of output kept per cell (head and tail).")
    var outputLimit: Int = 20_000

    @Option(help: "Address-space limit of the REPL in MiB.")
    var memoryMB: Int = 8192

    @OptionGroup var sandbox: SandboxFlags

    @Option(help: "Sandbox: strongest (bubblewrap when present), unshare, or none.")
    var isolation: String = "strongest"

    @Flag(help: "Answer llm_query/rlm_query with 'echo: <prompt>' (to try the plumbing without a model).")
    var echoSubCalls = false

    @Flag(help: "Print one JSON object: the REPL's start report and every cell's result.")
    var json = false

    /// What `--json` prints: camelCase keys, the optional ones left out when unset.
    struct Report: Encodable {
        struct Ready: Encodable {
            var python: String
            var chars, documents: Int
            var load: String
            var standins: Int
            var startMs, loadMs: Double
            var limits: [String: Int]
            var uid: Int
            var sandbox: String
        }

        struct Cell: Encodable {
            var stdout, stderr: String
            var error: String?
            var durationMs: Double
            var final: String?
            var timedOut, stateLost: Bool
        }

        var ready: Ready
        var cells: [Cell]

        init(_ ready: ReplReady, _ results: [CellResult]) {
            self.ready = Ready(python: ready.python, chars: ready.chars, documents: ready.documents, load: ready.load,
                               standins: ready.standins, startMs: ready.startMs, loadMs: ready.loadMs, limits: ready.limits,
                               uid: ready.uid, sandbox: ready.sandbox.rawValue)
            cells = results.map {
                Cell(stdout: $0.stdout, stderr: $0.stderr, error: $0.error, durationMs: $0.durationMs, final: $0.final,
                     timedOut: $0.timedOut, stateLost: $0.stateLost)
            }
        }
    }

    func run() async throws {
        var sources = cells
        for file in files {
            if file == "-" {
                sources.append(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
            } else {
                guard let data = FileManager.default.contents(atPath: workspaceOptions.absolute(file)) else {
                    throw CLIError("cannot read \(file)")
                }
                sources.append(String(decoding: data, as: UTF8.self))
            }
        }
        guard !sources.isEmpty else { throw CLIError("nothing to run: give --code CODE or a FILE") }
        guard timeout > 0, outputLimit > 0, memoryMB > 0 else { throw CLIError("--timeout, --output-limit and --memory-mb must be positive") }
        guard let mode = ReplOptions.Isolation(rawValue: isolation) else {
            throw CLIError("--isolation must be strongest, unshare or none")
        }
        var options = ReplOptions()
        options.cellTimeout = .milliseconds(Int(timeout * 1000))
        options.outputLimit = outputLimit
        options.limits.addressSpaceBytes = memoryMB << 20
        options.isolation = mode
        sandbox.apply(to: &options)
        let snapshot = try workspaceOptions.openSnapshot()
        let echo = echoSubCalls
        let repl = ReplProcess(context: .store(snapshot), options: options) { call in
            guard echo else { throw ReplError("rlmd exec has no language model (use --echo-sub-calls to try the plumbing)") }
            switch call {
            case .llmQuery(let prompt, _, _), .rlmQuery(let prompt, _): return "echo: \(prompt)"
            }
        }
        let ready = try await repl.start()
        var results: [CellResult] = []
        for source in sources {
            let result = try await repl.execute(source)
            results.append(result)
            if !json { show(result) }
        }
        await repl.close()
        if json { try JSONOutput.print(Report(ready, results)) }
        if results.contains(where: \.timedOut) { throw ExitCode(3) }
        if results.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    private func show(_ result: CellResult) {
        StandardStreams.out(result.stdout)
        var diagnostics = result.stderr
        if let error = result.error { diagnostics += (diagnostics.isEmpty || diagnostics.hasSuffix("\n") ? "" : "\n") + error + "\n" }
        if let final = result.final { diagnostics += "FINAL: \(final)\n" }
        StandardStreams.err(diagnostics)
    }
}
