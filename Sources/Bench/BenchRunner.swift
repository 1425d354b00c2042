import ContextStore
import Foundation
import LMClient
import Logging
import RLMEngine
import RLMSupport

/// Runs a suite's tasks with each method through the question service (the same path as `rlmd ask`),
/// scores them and keeps every result in the output folder as it arrives.
public struct BenchRunner: Sendable {
    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var last: BenchResult?
        public var spentUsd: Double
        /// A context was just generated and indexed.
        public var built: BuiltContext?
    }

    /// How long generating (or exporting) and indexing a context took: the harness's own share of a run.
    public struct BuiltContext: Sendable, Codable, Equatable {
        public var name: String
        public var tokens: Int
        public var bytes: Int
        public var seconds: Double
    }

    public var config: BenchRunConfig
    public var service: QuestionService
    public var setup: ModelSetup
    public var options: RLMOptions
    public var folder: ResultsFolder
    public var judge: Judge?
    /// The direct baseline's window, when the price table does not know the model.
    public var directWindow: Int
    public var concurrency: Int
    public var logger: Logger

    public init(config: BenchRunConfig, service: QuestionService, setup: ModelSetup, options: RLMOptions, folder: ResultsFolder,
                judge: Judge? = nil, directWindow: Int = 128_000, concurrency: Int = 1, logger: Logger = Logger(label: "rlmd.bench")) {
        self.config = config
        self.service = service
        self.setup = setup
        self.options = options
        self.folder = folder
        self.judge = judge
        self.directWindow = directWindow
        self.concurrency = max(1, concurrency)
        self.logger = logger
    }

    var methods: [BenchMethod] { config.methods.compactMap(BenchMethod.init(rawValue:)) }

    /// Runs what `folder` lacks of `plans` (the first `limit` tasks of them) and returns every result.
    public func run(_ plans: [BenchContext.Plan], tasksPerContext: Int, progress: @Sendable (Progress) async -> Void) async throws -> [BenchResult] {
        var results = try folder.results()
        var done = Set(results.map(\.key))
        let planned = min(plans.count * tasksPerContext, config.limit ?? .max) * methods.count
        var spent = results.reduce(0) { $0 + $1.costUsd }
        await progress(Progress(done: min(done.count, planned), total: planned, last: nil, spentUsd: spent))
        var taken = 0
        for plan in plans {
            guard taken < (config.limit ?? .max) else { break }
            let built = try plan.build()
            let tasks = Array(built.tasks.prefix((config.limit ?? .max) - taken))
            taken += tasks.count
            let pending = tasks.flatMap { task in methods.map { (task, $0) } }.filter { !done.contains($0.0.id + "|" + $0.1.rawValue) }
            guard !pending.isEmpty else { continue }
            let building = ContinuousClock.now
            let snapshot = try await OffPool.run { [folder, config, logger] in
                try built.context.materialize(in: "\(folder.contextsPath)/\(built.context.name)-s\(config.seed)", logger: logger)
            }
            let made = BuiltContext(name: built.context.name, tokens: snapshot.documents.reduce(0) { $0 + $1.tokens },
                                    bytes: snapshot.documents.reduce(0) { $0 + Int($1.size) }, seconds: (ContinuousClock.now - building).seconds)
            await progress(Progress(done: min(done.count, planned), total: planned, last: nil, spentUsd: spent, built: made))
            try await withThrowingTaskGroup(of: BenchResult.self) { group in
                var next = 0
                func launch() {
                    let (task, method) = pending[next]
                    next += 1
                    group.addTask { try await self.answer(task, method: method, snapshot: snapshot) }
                }
                while next < min(concurrency, pending.count) { launch() }
                while let result = try await group.next() {
                    try folder.append(result)
                    results.append(result)
                    done.insert(result.key)
                    spent += result.costUsd
                    await progress(Progress(done: min(done.count, planned), total: planned, last: result, spentUsd: spent))
                    if next < pending.count { launch() }
                }
            }
        }
        return results
    }

    /// One task, one method: the answer, its score and what it took.
    func answer(_ task: BenchTask, method: BenchMethod, snapshot: ContextSnapshot) async throws -> BenchResult {
        let question = [task.question, task.format].compactMap { $0 }.joined(separator: "\n\n")
        var result = BenchResult(
            task: task.id, suite: task.suite, kind: task.kind, context: task.context, tokens: task.contextTokens,
            contextTokens: snapshot.documents.reduce(0) { $0 + $1.tokens }, method: method.rawValue,
            model: setup.model ?? "", question: question, reference: task.reference.text, answer: "", score: 0, partial: false,
            costUsd: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, calls: 0, iterations: 0, seconds: 0)
        let started = ContinuousClock.now
        do {
            switch method {
            case .rlm, .rlmNoSubCalls:
                var options = self.options
                options.allowSubCalls = method == .rlm
                let answered = try await service.ask(question, context: .store(snapshot), setup: setup, options: options)
                let answer = answered.answer
                (result.answer, result.partial, result.reason, result.trajectory) = (answer.answer, answer.partial, answer.reason, answer.trajectoryID)
                (result.inputTokens, result.outputTokens, result.cachedTokens) = (answer.usage.input, answer.usage.output, answer.usage.cached)
                (result.calls, result.iterations, result.costUsd) = (answer.usage.calls, answer.usage.iterations, answer.usage.costUSD)
                result.citations = Self.check(answer.citations, reference: task.reference)
                if let trajectory = try? service.trajectories?.load(answer.trajectoryID) {
                    try? folder.writeTrajectory(try trajectory.jsonLines(), task: task.id, method: method.rawValue)
                }
                await service.end(answered.conversation)  // each task is a conversation of its own; its REPL is done
            case .direct:
                let models = try await service.resolve(setup).models
                result.model = models.root.name
                let prompt = DirectBaseline.prompt(question: question, snapshot: snapshot,
                                                   window: DirectBaseline.window(of: models.root.name, fallback: directWindow))
                let completion = try await models.root.client.complete(CompletionRequest(
                    model: models.root.name, messages: [.user(prompt.text)], maxTokens: options.maxReplyTokens, temperature: options.temperature))
                (result.answer, result.partial) = (completion.text, prompt.truncated)
                if prompt.truncated { result.reason = "the context was cut to \(prompt.keptChars) of \(prompt.totalChars) chars" }
                (result.inputTokens, result.outputTokens, result.cachedTokens) = (completion.usage.input, completion.usage.output, completion.usage.cachedInput)
                (result.calls, result.iterations, result.costUsd) = (1, 1, completion.costUSD ?? 0)
            }
            result.model = result.model.isEmpty ? (try? await service.resolve(setup).models.root.name) ?? "" : result.model
            result.score = Scoring.score(result.answer, against: task.reference)
            if case .judged(let reference, let files) = task.reference, let judge {
                let verdict = try await judge.grade(question: task.question, reference: reference, files: files, answer: result.answer)
                result.judge = verdict
                result.score = verdict.score
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            result.error = "\(error)"
        }
        result.seconds = (ContinuousClock.now - started).seconds
        return result
    }

    /// How many citations resolved, and how many of the reference's files they include.
    static func check(_ citations: [Citation], reference: BenchTask.Reference) -> BenchResult.CitationCheck? {
        guard case .judged(_, let files) = reference else { return nil }
        let cited = Set(citations.filter(\.resolved).map(\.path))
        let found = files.filter { file in cited.contains { $0 == file || $0.hasSuffix("/" + file) || file.hasSuffix("/" + $0) } }
        return .init(total: citations.count, resolved: citations.filter(\.resolved).count, referenceFiles: files.count,
                     referenceFilesCited: found.count)
    }
}
