import Foundation

/// OOLONG-style aggregation over TREC questions (Bertsch et al., 2025, `trec_coarse`): a context of
/// lines `Date: … || User: … || Instance: <question>`, whose six labels the header names but no line
/// carries, and questions about label frequencies that need every line classified and counted.
public struct OolongSuite: Sendable {
    public var pool: TRECQuestions
    public var seed: UInt64
    public var sizes: [Int]
    public var contextsPerSize: Int

    public init(pool: TRECQuestions, seed: UInt64, sizes: [Int], contextsPerSize: Int = 1) {
        self.pool = pool
        self.seed = seed
        self.sizes = sizes
        self.contextsPerSize = contextsPerSize
    }

    /// One line of a context, with the label the model has to infer.
    struct Record {
        var day: Int
        var user: Int
        var label: String
        var line: String
    }

    static let firstDay = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                         year: 2022, month: 1, day: 1).date ?? Date(timeIntervalSince1970: 1_640_995_200)
    static let days = 730

    /// Every context of the suite, in order of size; each is built with its six questions when run.
    public var plans: [BenchContext.Plan] {
        sizes.flatMap { tokens in
            (0..<contextsPerSize).map { index in
                let name = "oolong-\(TokenCount.describe(tokens))-c\(index)"
                return BenchContext.Plan(name: name, tokens: tokens) { self.generate(name: name, tokens: tokens) }
            }
        }
    }

    public static let questionsPerContext = 6

    func generate(name: String, tokens: Int) -> BenchContext.WithTasks {
        var random = SeededRandom(seed: seed, stream: name)
        let approximateLines = max(8, tokens * 4 / 90)
        let users = (0..<max(8, min(400, approximateLines / 25))).map { _ in Int.random(in: 10_000...99_999, using: &random) }
        var records: [Record] = []
        let header = Self.header
        var bytes = header.utf8.count
        while (bytes + 3) / 4 < tokens {
            let question = pool.questions[Int.random(in: 0..<pool.questions.count, using: &random)]
            let day = Int.random(in: 0..<Self.days, using: &random)
            let user = users[Int.random(in: 0..<users.count, using: &random)]
            let line = "Date: \(Self.format(day: day)) || User: \(user) || Instance: \(question.text)\n"
            bytes += line.utf8.count
            records.append(Record(day: day, user: user, label: question.label, line: line))
        }
        var text = header
        text.reserveCapacity(bytes)
        for record in records { text += record.line }
        let context = BenchContext(name: name, files: [("records.txt", Data(text.utf8))])
        return BenchContext.WithTasks(context: context, tasks: questions(records, users: users, context: name, tokens: tokens, random: &random))
    }

    static let header = """
        The lines below are questions people asked, one per line, each with its date and the id of the user \
        who asked it. Every question belongs to exactly one of six categories: \
        \(TRECQuestions.labelNames.joined(separator: ", ")). The categories are not written on the lines: \
        classify each question by what kind of answer it asks for.

        """

    /// `Mar 14, 2023` for each day of the span, formatted once.
    static let dayNames: [String] = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM dd, yyyy"
        return (0..<days).map { formatter.string(from: firstDay.addingTimeInterval(Double($0) * 86_400)) }
    }()

    static func format(day: Int) -> String { dayNames[day] }

    /// Six questions, one of each kind; a kind whose answer would be a tie is replaced by a count.
    func questions(_ records: [Record], users: [Int], context: String, tokens: Int, random: inout SeededRandom) -> [BenchTask] {
        let labels = TRECQuestions.labelNames
        func count(_ label: String, _ keep: (Record) -> Bool = { _ in true }) -> Int { records.filter { $0.label == label && keep($0) }.count }
        let counts = labels.map { ($0, count($0)) }
        func pick() -> String { labels[Int.random(in: 0..<labels.count, using: &random)] }
        let labelFormat = "Give your final answer as `Answer: <category>`, the category named exactly as in the header."
        let numberFormat = "Give your final answer as `Answer: <number>`."
        var tasks: [BenchTask] = []
        func add(_ kind: String, _ question: String, _ format: String, _ reference: BenchTask.Reference) {
            tasks.append(BenchTask(id: "\(context)-q\(tasks.count)", suite: "oolong", kind: kind, context: context, contextTokens: tokens,
                                   question: question, format: format, reference: reference))
        }
        func addCount() {
            let label = pick()
            add("count", "How many of the questions belong to the category '\(label)'?", numberFormat, .number(count(label)))
        }
        let ordered = counts.sorted { $0.1 > $1.1 }
        if ordered[0].1 != ordered[1].1 {
            add("most_common", "Which category do the most questions belong to?", labelFormat, .label(ordered[0].0, choices: labels))
        } else { addCount() }
        if ordered[ordered.count - 1].1 != ordered[ordered.count - 2].1 {
            add("least_common", "Which category do the fewest questions belong to?", labelFormat,
                .label(ordered[ordered.count - 1].0, choices: labels))
        } else { addCount() }
        var pair = (pick(), pick())
        while pair.1 == pair.0 { pair.1 = pick() }
        let (a, b) = (count(pair.0), count(pair.1))
        add("comparison", "Is the category '\(pair.0)' more common, less common, or the same frequency as the category '\(pair.1)'?",
            "Give your final answer as `Answer: '\(pair.0)' is <more common than | less common than | same frequency as> '\(pair.1)'`.",
            .comparison(a > b ? "more common than" : a < b ? "less common than" : "same frequency as"))
        addCount()
        let chosen = Array(Set((0..<2).map { _ in users[Int.random(in: 0..<users.count, using: &random)] })).sorted()
        let userLabel = pick()
        add("per_user", "Consider only the questions asked by user\(chosen.count > 1 ? "s" : "") \(chosen.map(String.init).joined(separator: " and ")). "
            + "How many of them belong to the category '\(userLabel)'?", numberFormat,
            .number(count(userLabel) { chosen.contains($0.user) }))
        let from = Int.random(in: 0..<(Self.days - 30), using: &random)
        let to = min(Self.days - 1, from + Int.random(in: 30...240, using: &random))
        let dateLabel = pick()
        add("date_range", "How many questions asked from \(Self.format(day: from)) to \(Self.format(day: to)) (both days included) "
            + "belong to the category '\(dateLabel)'?", numberFormat, .number(count(dateLabel) { (from...to).contains($0.day) }))
        return tasks
    }
}
