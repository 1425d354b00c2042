import Foundation

/// The TREC question-classification pool OOLONG's `trec_coarse` split builds its contexts from
/// (Li & Roth, 2002): lines `COARSE:fine question`, in Latin-1.
public struct TRECQuestions: Sendable {
    public struct Question: Sendable, Equatable {
        public var label: String
        public var text: String
    }

    /// The six coarse labels as the context's header names them.
    public static let labels: [(code: String, name: String)] = [
        ("ABBR", "abbreviation"), ("DESC", "description and abstract concept"), ("ENTY", "entity"),
        ("HUM", "human being"), ("LOC", "location"), ("NUM", "numeric value"),
    ]
    public static var labelNames: [String] { labels.map(\.name) }

    public var questions: [Question]
    /// Lines that were not `LABEL:fine text` with a known label.
    public var skipped: Int

    /// Every question of `TREC.train` and `TREC.test` (or of any `*.label`/`TREC.*` file) in `folder`.
    public static func load(folder: String) throws -> TRECQuestions {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("TREC.") }.sorted()
        guard !names.isEmpty else {
            throw BenchError.input("no TREC.train or TREC.test in \(folder) (see the README's Benchmarks section for where to get them)")
        }
        var pool = TRECQuestions(questions: [], skipped: 0)
        for name in names {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else { throw BenchError.input("cannot read \(folder)/\(name)") }
            // TREC.train is Latin-1; every byte sequence is valid Latin-1.
            pool.add(String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? "")
        }
        guard !pool.questions.isEmpty else { throw BenchError.input("no TREC questions in \(folder)") }
        return pool
    }

    public init(questions: [Question], skipped: Int) {
        self.questions = questions
        self.skipped = skipped
    }

    mutating func add(_ text: String) {
        let names = Dictionary(uniqueKeysWithValues: Self.labels.map { ($0.code, $0.name) })
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":"), let space = line[colon...].firstIndex(of: " "),
                  let label = names[String(line[..<colon])] else {
                skipped += 1
                continue
            }
            let question = line[space...].trimmingCharacters(in: .whitespaces)
            if question.isEmpty { skipped += 1 } else { questions.append(Question(label: label, text: question)) }
        }
    }
}

public enum BenchError: Error, CustomStringConvertible, Sendable {
    case input(String)
    case results(String)

    public var description: String {
        switch self {
        case .input(let message), .results(let message): message
        }
    }
}
