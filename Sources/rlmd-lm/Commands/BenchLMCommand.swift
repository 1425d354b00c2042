import ArgumentParser
import CLISupport
import Foundation
import LMClient

struct BenchLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.benchLM.name, abstract: ModelCommands.benchLM.abstract)

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
