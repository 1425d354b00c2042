import Bench
import Foundation
import Testing
import TestSupport

/// The suites build what they say, the same way for the same seed.
@Suite struct SuiteTests {
    /// TREC-format lines written for the tests: a few of each label.
    static let trec = """
        ABBR:exp What does NASA stand for ?
        ABBR:abb What is the abbreviation for kilogram ?
        DESC:def What is a quasar ?
        DESC:manner How do bees make honey ?
        DESC:reason Why is the sky blue ?
        ENTY:animal What animal has the longest neck ?
        ENTY:food What fruit is dried to make a prune ?
        ENTY:other What instrument did Miles Davis play ?
        HUM:ind Who painted the Mona Lisa ?
        HUM:gr What band sang Yellow Submarine ?
        LOC:city What is the capital of Peru ?
        LOC:country Which country has the most lakes ?
        NUM:date When did the Berlin Wall fall ?
        NUM:count How many legs does a spider have ?
        NUM:dist How far is the Moon from Earth ?
        not a question line
        """

    static func pool() throws -> TRECQuestions {
        let fixture = try Fixture()
        try fixture.write("TREC.test", trec + "\n")
        return try TRECQuestions.load(folder: fixture.root)
    }

    @Test func oolongReferencesAgreeWithTheLinesAndASeedRebuildsTheSameTasks() throws {
        let pool = try Self.pool()
        #expect(pool.questions.count == 15 && pool.skipped == 1)
        let labelOf = Dictionary(pool.questions.map { ($0.text, $0.label) }, uniquingKeysWith: { first, _ in first })
        let suite = OolongSuite(pool: pool, seed: 7, sizes: [2_048])
        let built = try #require(try suite.plans.first?.build())
        guard case .files(let files) = built.context.source else { Issue.record("not files"); return }
        let text = String(decoding: files[0].data, as: UTF8.self)
        #expect(abs(text.utf8.count / 4 - 2_048) < 40, "about 2^11 tokens")
        // Recount from the text alone: every line's question, its label looked up in the pool.
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("Date: ") }
        var counts: [String: Int] = [:]
        for line in lines {
            let instance = String(line.split(separator: "|| Instance: ", maxSplits: 1, omittingEmptySubsequences: false)[1])
            counts[try #require(labelOf[instance]), default: 0] += 1
        }
        #expect(built.tasks.count == OolongSuite.questionsPerContext)
        for task in built.tasks {
            switch (task.kind, task.reference) {
            case ("most_common", .label(let label, _)): #expect(counts[label] == counts.values.max())
            case ("least_common", .label(let label, _)): #expect(counts[label, default: 0] == TRECQuestions.labelNames.map { counts[$0, default: 0] }.min())
            case ("count", .number(let value)):
                let label = try #require(task.question.split(separator: "'").dropFirst().first.map(String.init))
                #expect(value == counts[label, default: 0])
            case ("comparison", .comparison(let relation)):
                let named = task.question.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
                let (a, b) = (counts[named[0], default: 0], counts[named[1], default: 0])
                #expect(relation == (a > b ? "more common than" : a < b ? "less common than" : "same frequency as"))
            case ("per_user", .number(let value)), ("date_range", .number(let value)):
                #expect(value >= 0 && value <= lines.count)
            default:
                Issue.record("unexpected task \(task.kind)")
            }
        }
        // The same seed builds the same bytes and tasks; another seed does not.
        let again = try #require(try OolongSuite(pool: pool, seed: 7, sizes: [2_048]).plans.first?.build())
        #expect(again.tasks == built.tasks)
        let other = try #require(try OolongSuite(pool: pool, seed: 8, sizes: [2_048]).plans.first?.build())
        #expect(other.tasks.map(\.reference) != built.tasks.map(\.reference) || other.tasks.map(\.question) != built.tasks.map(\.question))
    }

    @Test func needlesAreHiddenOnceEachAndTheQuestionNamesOneOfThem() throws {
        let plans = NeedleSuite(seed: 3, sizes: [20_000]).plans
        #expect(plans.map(\.name) == ["niah-20k-single-c0", "niah-20k-multikey-c0"])
        for plan in plans {
            let built = try plan.build()
            guard case .files(let files) = built.context.source else { Issue.record("not files"); return }
            let text = files.map { String(decoding: $0.data, as: UTF8.self) }.joined()
            let needles = text.split(separator: "\n").filter { $0.hasPrefix("One of the special magic numbers for ") }
            #expect(needles.count == (plan.name.contains("single") ? 1 : NeedleSuite.multikeyNeedles))
            let task = try #require(built.tasks.first)
            guard case .contains(let values) = task.reference else { Issue.record("not a needle"); return }
            let key = try #require(task.question.split(separator: " ").first { $0.contains("-") })
            #expect(needles.contains { $0.contains(" \(key) is: \(values[0]).") })
            #expect(abs(text.utf8.count / 4 - 20_000) < 200)
        }
    }

    @Test func aRepositoryHaystackRepeatsItsFilesAndHidesTheNeedleInOne() throws {
        let fixture = try Fixture()
        try fixture.write("src/a.py", String(repeating: "def f():  # é 😀\n    return 1\n", count: 50))
        try fixture.write("README.md", "# Project\n")
        let files = try NeedleSuite.repositoryFiles(at: fixture.root)
        let built = try NeedleSuite(seed: 1, sizes: [5_000], repository: files).plans[0].build()
        guard case .files(let written) = built.context.source else { Issue.record("not files"); return }
        #expect(written.contains { $0.path.hasPrefix("copy-2/") })
        #expect(built.tasks[0].kind == "single_repo")
        let holders = written.filter { String(decoding: $0.data, as: UTF8.self).contains("special magic numbers for") }
        #expect(holders.count == 1)
    }
}
