import ArgumentParser
import Bench
import CLISupport
import Foundation
import RLMEngine

/// What every suite of `rlmd bench` takes: seed, limit, methods, output and resume folders, models and budgets.
struct BenchSuiteOptions: ParsableArguments {
    @Option(help: "Seed of every random choice: the same seed makes the same tasks.")
    var seed: UInt64 = 1

    @Option(help: "Run only the first N tasks.")
    var limit: Int?

    @Option(help: "Comma-separated: rlm (the RLM), rlm-no-sub (the RLM with llm_query and rlm_query disabled), direct (the model alone, the context cut to its window).")
    var methods = "rlm,rlm-no-sub,direct"

    @Option(help: "Keep results.jsonl, run.json, per-task trajectories and the built contexts in DIR.")
    var out: String?

    @Option(help: "Go on with the run in DIR (its run.json decides the tasks); finished tasks are not run again.")
    var resume: String?

    @Option(help: "Tasks answered at once.")
    var concurrency = 1

    @Option(name: .customLong("direct-window"), help: "Context window in tokens of the direct baseline when the price table does not know the model.")
    var directWindow = 128_000

    @Flag(help: "Print {run, rows, kinds, results} as JSON instead of tables.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard BenchMethod.parse(methods) != nil else { throw ValidationError("--methods takes rlm, rlm-no-sub and direct, comma-separated") }
        guard out == nil || resume == nil else { throw ValidationError("give --out for a new run or --resume for an old one, not both") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
        guard concurrency > 0, directWindow > 4096 else { throw ValidationError("--concurrency must be positive and --direct-window above 4096") }
    }

    /// The run's config: from `--resume DIR`'s run.json, else from these flags and the suite's own.
    func config(suite: String, sizes: [Int], contexts: Int, inputs: (inout BenchRunConfig) -> Void) throws -> (BenchRunConfig, ResultsFolder, Bool) {
        if let resume {
            let folder = ResultsFolder(path: resume)
            let config = try folder.config()
            guard config.suite == suite else { throw CLIError("\(resume) holds a \(config.suite) run, not \(suite)") }
            return (config, folder, true)
        }
        let setup = modelOptions.setup
        var config = BenchRunConfig(suite: suite, seed: seed, sizes: sizes)
        config.contexts = contexts
        config.limit = limit
        config.methods = (BenchMethod.parse(methods) ?? BenchMethod.allCases).map(\.rawValue)
        (config.provider, config.baseURL, config.model, config.subModel) = (setup.provider, setup.baseURL, setup.model, setup.subModel)
        (config.maxIterations, config.maxSeconds, config.maxUsd) = (modelOptions.maxIterations, modelOptions.maxSeconds, modelOptions.maxUSD)
        inputs(&config)
        let path = out ?? NSTemporaryDirectory() + "rlmd-bench-\(suite)-\(ProcessInfo.processInfo.processIdentifier)"
        let folder = ResultsFolder(path: path)
        try folder.create(config)
        return (config, folder, out != nil)
    }

    /// The models of a run: flags given now win, else those run.json names.
    func setup(_ config: BenchRunConfig) -> ModelSetup {
        let given = modelOptions.setup
        return ModelSetup(provider: given.provider ?? config.provider, baseURL: given.baseURL ?? config.baseURL,
                          model: given.model ?? config.model, subModel: given.subModel ?? config.subModel)
    }

    /// The budgets of the flags, or of run.json when resuming.
    func options(_ config: BenchRunConfig) -> RLMOptions {
        var options = modelOptions.options
        if let value = config.maxIterations { options.limits.maxIterations = value }
        if let value = config.maxSeconds { options.limits.maxWallSeconds = value }
        if let value = config.maxUsd { options.limits.maxUSD = value }
        return options
    }
}

/// Runs a suite's plans and prints what came of them.
enum BenchSuiteRun {
    static func run(_ plans: [BenchContext.Plan], tasksPerContext: Int, config: BenchRunConfig, folder: ResultsFolder, keep: Bool,
                    options: BenchSuiteOptions, judgeModel: String? = nil) async throws {
        let service = QuestionService(kept: options.concurrency)
        let setup = options.setup(config)
        if try await service.resolve(setup).usedOfflineModel { ModelOptions.warnOfflineModel() }
        var judge: Judge?
        if let judgeModel = judgeModel ?? config.judgeModel {
            judge = Judge(model: judgeModel, client: try await service.resolve(setup).models.root.client)
        }
        let runner = BenchRunner(config: config, service: service, setup: setup, options: options.options(config), folder: folder, judge: judge,
                                 directWindow: options.directWindow, concurrency: options.concurrency)
        let bar = ProgressBar(title: config.suite)
        let results: [BenchResult]
        do {
            results = try await runner.run(plans, tasksPerContext: tasksPerContext) { bar.show($0) }
        } catch {
            bar.finish()
            await service.closeAll()
            throw CLIError("\(error)")
        }
        bar.finish()
        await service.closeAll()
        try BenchOutput.print(results, config: config, folder: keep ? folder : nil, built: bar.built, json: options.json)
        if !keep { try? FileManager.default.removeItem(atPath: folder.path) }
    }
}
