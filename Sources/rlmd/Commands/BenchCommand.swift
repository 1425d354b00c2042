import ArgumentParser
import ContextStore
import Foundation
import LMClient

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "In-process measurements for the benchmarks in benchmarks/.",
        subcommands: [Slices.self, LM.self, REPLBench.self])

    struct Slices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time random char slices of an indexed context; prints {count, size, median_us, p99_us, max_us}.")

        @OptionGroup var workspaceOptions: WorkspaceOptions

        @Option(help: "How many slices.")
        var count = 10_000

        @Option(help: "Chars per slice.")
        var size = 4096

        func validate() throws {
            guard count > 0, size > 0 else { throw ValidationError("--count and --size must be positive") }
        }

        func run() throws {
            let snapshot = try workspaceOptions.openSnapshot()
            guard snapshot.totalChars > size else { throw CLIError("the context has only \(snapshot.totalChars) chars") }
            var generator = SystemRandomNumberGenerator()
            var samples: [Double] = []
            samples.reserveCapacity(count)
            var checksum = 0
            for _ in 0..<count {
                let start = Int.random(in: 0..<(snapshot.totalChars - size), using: &generator)
                let began = DispatchTime.now().uptimeNanoseconds
                let slice = snapshot.slice(chars: start..<(start + size))
                checksum &+= slice.utf8.count
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1000)
            }
            samples.sort()
            let result: [String: Double] = [
                "count": Double(count), "size": Double(size), "median_us": samples[samples.count / 2],
                "p99_us": samples[min(samples.count - 1, samples.count * 99 / 100)], "max_us": samples.last ?? 0,
                "context_chars": Double(snapshot.totalChars), "bytes_returned": Double(checksum),
            ]
            try JSONOutput.print(result)
        }
    }
}

extension BenchCommand {
    struct LM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lm",
            abstract: "Time model calls against a server: prints {calls, concurrency, median_ms, p99_ms, total_s}.")

        @Option(name: .customLong("base-url"), help: "An OpenAI-compatible server.")
        var baseURL: String

        @Option(help: "How many calls.")
        var calls = 200

        @Option(help: "Calls in flight at once (also the client's concurrency limit).")
        var concurrency = 1

        func validate() throws {
            guard calls > 0, concurrency > 0 else { throw ValidationError("--calls and --concurrency must be positive") }
        }

        func run() async throws {
            guard let url = URL(string: baseURL) else { throw ValidationError("not a URL: \(baseURL)") }
            let client = ModelClient(api: OpenAICompatibleAPI(baseURL: url, apiKey: nil), retry: RetryPolicy(maxAttempts: 1),
                                     timeout: 30, maxConcurrent: concurrency)
            let request = CompletionRequest(model: "bench", messages: [.user("ping")], maxTokens: 8)
            let started = DispatchTime.now().uptimeNanoseconds
            let samples = try await withThrowingTaskGroup(of: Double.self) { group in
                var next = 0
                var samples: [Double] = []
                func launch() {
                    next += 1
                    group.addTask {
                        let began = DispatchTime.now().uptimeNanoseconds
                        _ = try await client.complete(request)
                        return Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
                    }
                }
                while next < min(concurrency, calls) { launch() }
                while let sample = try await group.next() {
                    samples.append(sample)
                    if next < calls { launch() }
                }
                return samples.sorted()
            }
            let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            try JSONOutput.print([
                "calls": Double(calls), "concurrency": Double(concurrency), "median_ms": samples[samples.count / 2],
                "p99_ms": samples[min(samples.count - 1, samples.count * 99 / 100)], "total_s": total,
            ])
        }
    }
}
