import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import REPL
import RLMSupport

extension BenchCommand {
    struct REPLBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repl",
            abstract: "Time the REPL over an indexed context: start, peak RSS, cell round trips, the sub-call bridge, a batch.")

        @OptionGroup var workspaceOptions: WorkspaceOptions

        @Option(help: "Trivial cells (and llm_query calls) to time.")
        var count = 300

        @Option(help: "Prompts in the batch; each sleeps 100 ms in the handler.")
        var batch = 64

        @Option(help: "Batched calls in flight at once.")
        var concurrency = 16

        @OptionGroup var sandbox: SandboxFlags

        @Flag(help: "Make the store's copy of the context first, as the daemon does after its builds.")
        var prepareCopy = false

        func validate() throws {
            guard count > 0, batch > 0, concurrency > 0 else { throw ValidationError("--count, --batch and --concurrency must be positive") }
        }

        func run() async throws {
            let snapshot = try workspaceOptions.openSnapshot()
            var options = ReplOptions()
            options.batchConcurrency = concurrency
            sandbox.apply(to: &options)
            if prepareCopy { ReplContext.store(snapshot).prepareCopy(exactText: options.exactText) }
            let handler: SubCallHandler = { call in
                guard case .llmQuery(let prompt, _, _) = call else { return "" }
                if prompt.hasPrefix("sleep:") { try await Task.sleep(for: .milliseconds(100)) }
                return "ok"
            }
            // The first start of a process also detects the sandbox and python; a daemon pays that once.
            let first = ReplProcess(context: .store(snapshot), options: options, subCalls: handler)
            let firstReady = try await first.start()
            await first.close()
            let repl = ReplProcess(context: .store(snapshot), options: options, subCalls: handler)
            let ready = try await repl.start()
            let memory = try await repl.execute("""
                fields = dict(line.split(':', 1) for line in open('/proc/self/status') if line.startswith('Vm'))
                print(int(fields['VmHWM'].split()[0]) // 1024, int(fields['VmRSS'].split()[0]) // 1024)
                """)
            let rss = memory.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            guard rss.count == 2 else { throw CLIError("could not read the REPL's memory: \(memory.stdout) \(memory.error ?? "")") }
            // A mapped context's pages come in as the model reads them: one pass over all of it, and the peak after.
            let scan = try await repl.execute("""
                import time
                t = time.perf_counter(); context.count('\\n'); took = (time.perf_counter() - t) * 1000
                fields = dict(line.split(':', 1) for line in open('/proc/self/status') if line.startswith('Vm'))
                print(took, int(fields['VmHWM'].split()[0]) // 1024)
                """)
            let scanned = scan.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            guard scanned.count == 2 else { throw CLIError("the scan cell failed: \(scan.stdout) \(scan.error ?? "")") }

            var cells: [Double] = []
            for _ in 0..<count {
                let began = ContinuousClock.now
                _ = try await repl.execute("pass")
                cells.append((ContinuousClock.now - began).milliseconds)
            }
            let bridge = try await repl.execute("""
                import time
                samples = []
                for _ in range(\(count)):
                    t = time.perf_counter(); llm_query("x"); samples.append((time.perf_counter() - t) * 1000)
                samples.sort()
                print(samples[len(samples) // 2])
                """)
            let began = ContinuousClock.now
            let batched = try await repl.execute("out = llm_query_batched([f'sleep:{i}' for i in range(\(batch))])\nprint(len(out))")
            let batchSeconds = (ContinuousClock.now - began).milliseconds / 1000
            await repl.close()
            guard batched.stdout == "\(batch)\n", let bridgeMs = Double(bridge.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CLIError("a benchmark cell failed: \(bridge.error ?? "") \(batched.error ?? "")")
            }
            cells.sort()
            let report: [String: Double] = [
                "context_chars": Double(snapshot.totalChars), "context_bytes": Double(snapshot.contextBytes),
                "documents": Double(snapshot.documents.count), "first_ready_ms": firstReady.startMs, "ready_ms": ready.startMs, "load_ms": ready.loadMs, "standins": Double(ready.standins),
                "filled": ["decoded", "empty"].contains(ready.load) ? 0 : 1, "peak_rss_mb": Double(rss[0]), "rss_mb": Double(rss[1]),
                "scan_ms": scanned[0], "scanned_peak_rss_mb": scanned[1],
                "cell_median_ms": cells[cells.count / 2], "cell_p90_ms": cells[cells.count * 9 / 10],
                "llm_query_bridge_median_ms": bridgeMs, "batch": Double(batch), "batch_concurrency": Double(concurrency),
                "batch_seconds": batchSeconds,
            ]
            try JSONOutput.print(report)
        }
    }
}
