import ArgumentParser
import ContextStore
import Foundation
import CLISupport

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark suites (oolong, niah, repoqa, perf, compare) and in-process measurements for benchmarks/.",
        subcommands: [BenchOolongEntry.self, BenchNeedleEntry.self, BenchRepoQAEntry.self, BenchPerfEntry.self, BenchCompareEntry.self,
                      Slices.self, REPLBench.self, BenchLMEntry.self])

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
