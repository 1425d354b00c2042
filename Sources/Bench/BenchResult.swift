import Foundation

/// What one method answered to one task, and what it cost: a line of `results.jsonl`.
public struct BenchResult: Sendable, Codable, Equatable {
    public var task: String
    public var suite: String
    public var kind: String
    public var context: String
    /// The context size asked for (`--sizes`), and the size of the context built, both in tokens.
    public var tokens: Int
    public var contextTokens: Int
    public var method: String
    public var model: String
    public var question: String
    public var reference: String
    public var answer: String
    public var score: Double
    public var partial: Bool
    public var reason: String?
    /// The method could not answer at all (provider down, context over the window...): score 0.
    public var error: String?
    public var costUsd: Double
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedTokens: Int
    public var calls: Int
    public var iterations: Int
    public var seconds: Double
    public var trajectory: String?
    /// Repository QA: the judge's grades, and how the answer's citations fared.
    public var judge: Judge.Verdict?
    public var citations: CitationCheck?

    public struct CitationCheck: Sendable, Codable, Equatable {
        public var total: Int
        public var resolved: Int
        /// Of the reference's files, how many the answer cites.
        public var referenceFiles: Int
        public var referenceFilesCited: Int
    }

    public var key: String { task + "|" + method }
}

/// How a run was asked for, saved as `run.json` so `--resume` rebuilds the same tasks.
public struct BenchRunConfig: Sendable, Codable, Equatable {
    public var suite: String
    public var seed: UInt64
    public var sizes: [Int]
    public var contexts = 1
    public var limit: Int?
    public var methods = BenchMethod.allCases.map(\.rawValue)
    public var provider: String?
    public var baseURL: String?
    public var model: String?
    public var subModel: String?
    public var judgeModel: String?
    /// Suite inputs: the TREC folder (oolong), a repository (niah `--repo`, repoqa), questions (repoqa), a commit.
    public var trec: String?
    public var repository: String?
    public var questions: String?
    public var commit: String?
    public var maxIterations: Int?
    public var maxSeconds: Double?
    public var maxUsd: Double?

    public init(suite: String, seed: UInt64, sizes: [Int]) {
        self.suite = suite
        self.seed = seed
        self.sizes = sizes
    }
}

/// `results.jsonl` and `run.json` in an output folder, appended as results arrive (a killed run loses
/// at most the task it was running) and read back to resume or compare.
public struct ResultsFolder: Sendable {
    public let path: String
    public var resultsPath: String { path + "/results.jsonl" }
    public var configPath: String { path + "/run.json" }
    public var trajectoriesPath: String { path + "/trajectories" }
    public var contextsPath: String { path + "/contexts" }

    public init(path: String) { self.path = path }

    public func create(_ config: BenchRunConfig) throws {
        try FileManager.default.createDirectory(atPath: trajectoriesPath, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(config).write(to: URL(fileURLWithPath: configPath))
    }

    public func config() throws -> BenchRunConfig {
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw BenchError.results("\(path) has no run.json: it is not a bench output folder")
        }
        do {
            return try JSONDecoder().decode(BenchRunConfig.self, from: data)
        } catch {
            throw BenchError.results("\(configPath) is damaged: \(error)")
        }
    }

    /// The results so far; a line cut short by a killed run is left out.
    public func results() throws -> [BenchResult] {
        guard let data = FileManager.default.contents(atPath: resultsPath) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(BenchResult.self, from: Data($0)) }
    }

    public func append(_ result: BenchResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(result)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: resultsPath) { _ = FileManager.default.createFile(atPath: resultsPath, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: resultsPath))
        defer { try? handle.close() }
        try handle.seekToEnd()
        // A line cut short by a killed run has no newline: start on a fresh line after it.
        if try handle.offset() > 0, try lastByte() != 0x0A { try handle.write(contentsOf: Data([0x0A])) }
        try handle.write(contentsOf: line)
    }

    private func lastByte() throws -> UInt8? {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: resultsPath))
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        guard size > 0 else { return nil }
        try handle.seek(toOffset: size - 1)
        return try handle.read(upToCount: 1)?.first
    }

    public func writeTrajectory(_ text: String, task: String, method: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(trajectoriesPath)/\(task)--\(method).jsonl"))
    }
}

extension BenchTask.Reference {
    /// The reference as the results file and the table show it.
    public var text: String {
        switch self {
        case .label(let label, _): label
        case .comparison(let relation): relation
        case .number(let value): String(value)
        case .contains(let values): values.joined(separator: ", ")
        case .judged(let answer, _): answer
        }
    }
}
