import ContextStore
import Foundation
import REPL
import RLMEngine
import RLMSupport

/// rlmd's own overhead, with a model that answers at once (`InstantModel`): how long the REPL takes to
/// start over a context, what a turn and a sub-call cost beyond the model's time, and peak memory.
public struct PerfSuite: Sendable {
    public struct Row: Sendable, Codable, Equatable {
        public var tokens: Int
        public var bytes: Int
        /// Medians over `runs`.
        public var replStartMs: Double
        public var questionMs: Double
        public var perTurnMs: Double
        public var perSubCallMs: Double
        /// Peak resident memory of rlmd itself and of its largest child (a REPL), in MB.
        public var peakRSSMB: Double
        public var replPeakRSSMB: Double
    }

    public var sizes: [Int]
    public var runs: Int
    public var repository: [(path: String, data: Data)]?
    public static let turns = 6, subCalls = 64

    public init(sizes: [Int], runs: Int = 3, repository: [(path: String, data: Data)]? = nil) {
        self.sizes = sizes
        self.runs = max(1, runs)
        self.repository = repository
    }

    public func run(in folder: String, progress: @Sendable (Int, Int) async -> Void) async throws -> [Row] {
        var rows: [Row] = []
        for (index, tokens) in sizes.enumerated() {
            await progress(index, sizes.count)
            var random = SeededRandom(seed: 1, stream: "perf-\(tokens)")
            let files = repository.map { NeedleSuite.repeated($0, toTokens: tokens) } ?? [("prose.txt", Haystack.prose(tokens: tokens, random: &random))]
            let context = BenchContext(name: "perf-\(TokenCount.describe(tokens))", files: files)
            let snapshot = try await OffPool.run { try context.materialize(in: "\(folder)/\(context.name)") }
            rows.append(try await measure(snapshot, tokens: tokens, bytes: context.bytes))
        }
        await progress(sizes.count, sizes.count)
        return rows
    }

    func measure(_ snapshot: ContextSnapshot, tokens: Int, bytes: Int) async throws -> Row {
        var starts: [Double] = [], single: [Double] = [], many: [Double] = [], batched: [Double] = []
        let model = ModelChoice(client: InstantModel(), name: InstantModel.root)
        let models = RLMModels(root: model, sub: ModelChoice(client: InstantModel(), name: InstantModel.sub))
        let service = QuestionService(kept: 1, trajectories: nil)
        for _ in 0..<runs {
            let repl = ReplProcess(context: .store(snapshot))
            let began = ContinuousClock.now
            _ = try await repl.start()
            starts.append((ContinuousClock.now - began).milliseconds)
            await repl.close()
            for (sample, question) in [(0, InstantModel.question(turns: 1, subCalls: 0)),
                                       (1, InstantModel.question(turns: Self.turns, subCalls: 0)),
                                       (2, InstantModel.question(turns: 2, subCalls: Self.subCalls))] {
                let name = await service.startConversation(context: .store(snapshot), models: models, options: RLMOptions())
                let began = ContinuousClock.now
                _ = try await service.ask(in: name, question)
                let elapsed = (ContinuousClock.now - began).milliseconds
                await service.end(name)
                switch sample {
                case 0: single.append(elapsed)
                case 1: many.append(elapsed)
                default: batched.append(elapsed)
                }
            }
        }
        let perTurn = (BenchRow.median(many) - BenchRow.median(single)) / Double(Self.turns - 1)
        let perSubCall = (BenchRow.median(batched) - BenchRow.median(single) - perTurn) / Double(Self.subCalls)
        return Row(tokens: tokens, bytes: bytes, replStartMs: BenchRow.median(starts), questionMs: BenchRow.median(single),
                   perTurnMs: perTurn, perSubCallMs: perSubCall, peakRSSMB: Self.peakRSS(), replPeakRSSMB: Self.childrenPeakRSS())
    }

    /// This process's peak resident set (`VmHWM`), in MB.
    static func peakRSS() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return kilobytes / 1024
    }

    /// The peak resident set of the largest child waited for (REPL processes, through bubblewrap), in MB.
    static func childrenPeakRSS() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    public static func render(_ rows: [Row]) -> String {
        let header = ["size", "MB", "REPL start ms", "1-turn question ms", "per turn ms", "per sub-call ms", "peak RSS MB", "REPL peak RSS MB"]
        return TextTable.align([header] + rows.map { row in
            [TokenCount.describe(row.tokens), String(format: "%.1f", Double(row.bytes) / 1_048_576), String(format: "%.1f", row.replStartMs),
             String(format: "%.1f", row.questionMs), String(format: "%.2f", row.perTurnMs), String(format: "%.3f", row.perSubCallMs),
             String(format: "%.0f", row.peakRSSMB), String(format: "%.0f", row.replPeakRSSMB)]
        })
    }
}
