import ArgumentParser
import Bench
import CLISupport
import Foundation

struct BenchOolongCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.benchOolong.name, abstract: ModelCommands.benchOolong.abstract,
        discussion: """
            Contexts of about the given sizes of lines `Date: … || User: … || Instance: <question>`, the six TREC coarse \
            labels named in the header but on no line, and six questions per context (most and least common label, a \
            comparison, counts overall, per user and per date range). Exact match for labels and comparisons, 0.75^|error| \
            for counts, as OOLONG scores.
            """)

    @Option(help: "The folder with TREC.train and TREC.test (Li & Roth's question classification data).")
    var trec: String?

    @Option(help: "Context sizes in tokens, comma-separated: 2^13, 8k, 1m.")
    var sizes = "2^13,2^14,2^15"

    @Option(help: "Contexts per size.")
    var contexts = 1

    @OptionGroup var suite: BenchSuiteOptions

    func run() async throws {
        let (config, folder, keep) = try suite.config(suite: "oolong", sizes: try parseSizes(sizes), contexts: contexts) {
            $0.trec = trec.map { (($0 as NSString).expandingTildeInPath as NSString).standardizingPath }
        }
        guard let trec = config.trec else { throw CLIError("give --trec DIR: the folder holding TREC.train and TREC.test") }
        let pool = try TRECQuestions.load(folder: trec)
        let plans = OolongSuite(pool: pool, seed: config.seed, sizes: config.sizes, contextsPerSize: config.contexts).plans
        try await BenchSuiteRun.run(plans, tasksPerContext: OolongSuite.questionsPerContext, config: config, folder: folder, keep: keep,
                                    options: suite)
    }
}

struct BenchNeedleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.benchNeedle.name, abstract: ModelCommands.benchNeedle.abstract,
        discussion: """
            "One of the special magic numbers for {key} is: {value}." hidden at a seeded depth; per size one context with \
            a single needle and one with four (the question names one key). Scored by whether the answer contains the value.
            """)

    @Option(help: "Context sizes in tokens, comma-separated: 8k, 1m, 10m, 2^20.")
    var sizes = "8k,64k,1m"

    @Option(help: "Hide the needles in this repository's files (repeated up to the size) instead of generated prose.")
    var repo: String?

    @Option(help: "Contexts of each kind per size.")
    var contexts = 1

    @OptionGroup var suite: BenchSuiteOptions

    func run() async throws {
        let (config, folder, keep) = try suite.config(suite: "niah", sizes: try parseSizes(sizes), contexts: contexts) {
            $0.repository = repo.map { (($0 as NSString).expandingTildeInPath as NSString).standardizingPath }
        }
        let files = try config.repository.map { try NeedleSuite.repositoryFiles(at: $0) }
        let plans = NeedleSuite(seed: config.seed, sizes: config.sizes, contextsPerKind: config.contexts, repository: files).plans
        try await BenchSuiteRun.run(plans, tasksPerContext: 1, config: config, folder: folder, keep: keep, options: suite)
    }
}

struct BenchRepoQACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.benchRepoQA.name, abstract: ModelCommands.benchRepoQA.abstract,
        discussion: """
            QUESTIONS is JSON Lines of {"question", "answer", "files"?}. Each answer is graded by the judge model with a \
            written rubric (correctness, completeness, citations, 0-2 each); the results also say how many of the answer's \
            citations resolve and how many of the reference files they include.
            """)

    @Option(help: "The questions: JSON Lines of {\"question\", \"answer\", \"files\"?}.")
    var questions: String?

    @Option(help: "The repository the questions are about.")
    var repo: String?

    @Option(help: "Ask about the tree at this commit (exported with git archive; the repository is not touched).")
    var commit: String?

    @Option(name: .customLong("judge-model"), help: "The model that grades answers (default: the root model).")
    var judgeModel: String?

    @OptionGroup var suite: BenchSuiteOptions

    func run() async throws {
        let (config, folder, keep) = try suite.config(suite: "repoqa", sizes: [0], contexts: 1) {
            $0.questions = questions.map { (($0 as NSString).expandingTildeInPath as NSString).standardizingPath }
            $0.repository = repo.map { (($0 as NSString).expandingTildeInPath as NSString).standardizingPath }
            $0.commit = commit
            $0.judgeModel = judgeModel ?? suite.modelOptions.setup.model
        }
        guard let questions = config.questions, let repository = config.repository else {
            throw CLIError("give --questions FILE and --repo PATH")
        }
        let qa = try RepoQASuite.load(questions: questions, repository: repository, commit: config.commit)
        let judge = config.judgeModel ?? suite.setup(config).model
        guard let judge else { throw CLIError("name the judge: --judge-model M (or --model)") }
        try await BenchSuiteRun.run([qa.plan(exportTo: folder.contextsPath + "/export")], tasksPerContext: qa.items.count, config: config,
                                    folder: folder, keep: keep, options: suite, judgeModel: judge)
    }
}

struct BenchPerfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.benchPerf.name, abstract: ModelCommands.benchPerf.abstract,
        discussion: "The model is in this process and answers at once, so what is measured is rlmd alone (no provider is needed).")

    @Option(help: "Context sizes in tokens, comma-separated.")
    var sizes = "256k,2.5m,25m"

    @Option(help: "Repetitions; the figures are medians.")
    var runs = 3

    @Option(help: "Build the contexts from this repository's files (repeated) instead of generated prose.")
    var repo: String?

    @Flag(help: "Print the rows as JSON.")
    var json = false

    func run() async throws {
        let files = try repo.map { try NeedleSuite.repositoryFiles(at: (($0 as NSString).expandingTildeInPath as NSString).standardizingPath) }
        let folder = NSTemporaryDirectory() + "rlmd-bench-perf-\(ProcessInfo.processInfo.processIdentifier)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = try await PerfSuite(sizes: try parseSizes(sizes), runs: runs, repository: files).run(in: folder) { done, total in
            if done < total { StandardStreams.err("perf: context \(done + 1) of \(total)\n") }
        }
        if json { try JSONOutput.print(rows) } else { print(PerfSuite.render(rows)) }
    }
}

struct BenchCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchCompare.name, abstract: ModelCommands.benchCompare.abstract)

    @Argument(help: "The first run's --out folder.")
    var first: String

    @Argument(help: "The second run's --out folder.")
    var second: String

    @Flag(help: "Print the rows as JSON.")
    var json = false

    func run() async throws {
        let a = try ResultsFolder(path: first).results(), b = try ResultsFolder(path: second).results()
        guard !a.isEmpty, !b.isEmpty else { throw CLIError("no results in \(a.isEmpty ? first : second)") }
        let rows = BenchComparison.compare(a, b)
        guard !rows.isEmpty else { throw CLIError("the two runs share no task (same suite, seed and sizes?)") }
        if json { try JSONOutput.print(rows) } else { print("A: \(first)\nB: \(second)\n\n" + BenchComparison.render(rows)) }
    }
}

func parseSizes(_ list: String) throws -> [Int] {
    let sizes = list.split(separator: ",").map { TokenCount.parse(String($0)) }
    guard !sizes.isEmpty, !sizes.contains(nil) else { throw ValidationError("--sizes takes token counts such as 8k, 1m, 2^14, comma-separated") }
    return sizes.compactMap { $0 }
}
