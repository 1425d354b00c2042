import ContextStore
import Foundation

/// Needles in a haystack, in the shape of RULER's S-NIAH and MK-NIAH (Hsieh et al., 2024): a sentence
/// "One of the special magic numbers for {key} is: {value}." hidden at a seeded depth of generated
/// prose or of a real repository's files (repeated up to the size), and a question for the value of one
/// key — alone (`single`), or among other needles with other keys (`multikey`).
public struct NeedleSuite: Sendable {
    public var seed: UInt64
    public var sizes: [Int]
    public var contextsPerKind: Int
    /// Files of a real repository to hide the needles in, instead of generated prose.
    public var repository: [(path: String, data: Data)]?

    public init(seed: UInt64, sizes: [Int], contextsPerKind: Int = 1, repository: [(path: String, data: Data)]? = nil) {
        self.seed = seed
        self.sizes = sizes
        self.contextsPerKind = contextsPerKind
        self.repository = repository
    }

    public static let multikeyNeedles = 4

    /// Per size, `contextsPerKind` contexts with one needle and as many with several; one question each.
    public var plans: [BenchContext.Plan] {
        sizes.flatMap { tokens in
            ["single", "multikey"].flatMap { kind in
                (0..<contextsPerKind).map { index in
                    let name = "niah-\(TokenCount.describe(tokens))-\(kind)-c\(index)"
                    return BenchContext.Plan(name: name, tokens: tokens) { self.generate(name: name, tokens: tokens, kind: kind) }
                }
            }
        }
    }

    func generate(name: String, tokens: Int, kind: String) -> BenchContext.WithTasks {
        var random = SeededRandom(seed: seed, stream: name)
        var keys: [String] = []
        while keys.count < (kind == "single" ? 1 : Self.multikeyNeedles) {
            let key = Words.adjectives.randomElement(using: &random)! + "-" + Words.nouns.randomElement(using: &random)!
            if !keys.contains(key) { keys.append(key) }
        }
        let values = keys.map { _ in String(Int.random(in: 1_000_000...9_999_999, using: &random)) }
        let needles = zip(keys, values).map { "One of the special magic numbers for \($0) is: \($1)." }
        var files = repository.map { Self.repeated($0, toTokens: tokens) } ?? [("haystack.txt", Haystack.prose(tokens: tokens, random: &random))]
        for needle in needles {
            Self.insert(needle, at: Double.random(in: 0.05...0.95, using: &random), into: &files)
        }
        let asked = Int.random(in: 0..<keys.count, using: &random)
        let task = BenchTask(
            id: "\(name)-q0", suite: "niah", kind: kind + (repository == nil ? "" : "_repo"), context: name, contextTokens: tokens,
            question: "What is the special magic number for \(keys[asked]) mentioned in the provided text?",
            format: "Give your final answer as `Answer: <number>`.", reference: .contains([values[asked]]))
        return .init(context: BenchContext(name: name, files: files), tasks: [task])
    }

    /// The repository's files, copied under `copy-N/` as often as it takes to reach `tokens`.
    static func repeated(_ files: [(path: String, data: Data)], toTokens tokens: Int) -> [(path: String, data: Data)] {
        var out: [(path: String, data: Data)] = []
        var bytes = 0, copy = 0
        while Document.estimateTokens(bytes: bytes) < tokens, !files.isEmpty {
            copy += 1
            for file in files {
                out.append((copy == 1 ? file.path : "copy-\(copy)/\(file.path)", file.data))
                bytes += file.data.count
                if Document.estimateTokens(bytes: bytes) >= tokens { break }
            }
        }
        return out
    }

    /// Puts `needle` on a line of its own at the first line end after `depth` (0...1) of all bytes.
    static func insert(_ needle: String, at depth: Double, into files: inout [(path: String, data: Data)]) {
        let total = files.reduce(0) { $0 + $1.data.count }
        var target = Int(Double(total) * depth)
        for index in files.indices {
            let data = files[index].data
            guard target < data.count || index == files.count - 1 else {
                target -= data.count
                continue
            }
            let start = min(target, data.count)
            let lineEnd = data[(data.startIndex + start)...].firstIndex(of: 0x0A).map { $0 + 1 } ?? data.endIndex
            var updated = Data(data[..<lineEnd])
            if updated.last != 0x0A, !updated.isEmpty { updated.append(0x0A) }
            updated.append(contentsOf: Array((needle + "\n").utf8))
            updated.append(data[lineEnd...])
            files[index].data = updated
            return
        }
    }
}

/// Prose that says nothing, for haystacks: sentences built once from word lists, then drawn at random.
enum Haystack {
    static func prose(tokens: Int, random: inout SeededRandom) -> Data {
        var sentencesRandom = SeededRandom(seed: 7, stream: "haystack-sentences")
        let sentences: [[UInt8]] = (0..<256).map { _ in
            let subject = Words.nouns.randomElement(using: &sentencesRandom)!, other = Words.nouns.randomElement(using: &sentencesRandom)!
            let adjective = Words.adjectives.randomElement(using: &sentencesRandom)!
            let verb = Words.verbs.randomElement(using: &sentencesRandom)!
            return Array("The \(subject) \(verb) the \(adjective) \(other). ".utf8)
        }
        let bytes = tokens * 4
        var out = [UInt8]()
        out.reserveCapacity(bytes + 200)
        var sinceBreak = 0
        while out.count < bytes {
            let sentence = sentences[Int(random.next() % UInt64(sentences.count))]
            out.append(contentsOf: sentence)
            sinceBreak += sentence.count
            if sinceBreak > 400 {
                out[out.count - 1] = 0x0A  // paragraphs of a few lines
                sinceBreak = 0
            }
        }
        if out.last != 0x0A { out.append(0x0A) }
        return Data(out)
    }
}

enum Words {
    static let adjectives = [
        "amber", "brisk", "calm", "dusty", "eager", "faint", "gentle", "hollow", "icy", "jolly", "keen", "lively", "mellow",
        "narrow", "olive", "plain", "quiet", "rapid", "silent", "tidy", "upper", "vivid", "warm", "young", "zealous", "bold",
        "crisp", "dim", "early", "fair", "grand", "humble", "loyal", "misty", "noble", "odd", "proud", "rough", "sharp", "tender",
    ]
    static let nouns = [
        "harbor", "meadow", "lantern", "river", "orchard", "falcon", "compass", "thimble", "glacier", "quarry", "ribbon", "saddle",
        "tunnel", "violin", "willow", "anchor", "beacon", "candle", "dune", "ember", "forest", "garden", "hammer", "island",
        "jigsaw", "kettle", "ladder", "mirror", "needle", "oyster", "pebble", "quilt", "rocket", "shovel", "teapot", "umbrella",
        "valley", "wagon", "yarn", "zephyr",
    ]
    static let verbs = [
        "watches", "follows", "carries", "remembers", "paints", "greets", "circles", "measures", "borrows", "answers", "crosses",
        "gathers", "hides", "lifts", "mends", "notices", "polishes", "reaches", "sorts", "trims",
    ]
}

extension NeedleSuite {
    /// The text files of a repository, as `--repo` gives them (what rlmd would index, under 1 MiB).
    public static func repositoryFiles(at root: String) throws -> [(path: String, data: Data)] {
        let listing = WorkspaceScanner.list(root: root)
        let files: [(path: String, data: Data)] = listing.files.compactMap { file in
            guard file.stat.size <= 1 << 20, let data = FileManager.default.contents(atPath: root + "/" + file.path),
                  !data.prefix(8192).contains(0) else { return nil }
            return (file.path, data)
        }
        guard !files.isEmpty else { throw BenchError.input("no text files in \(root)") }
        return files
    }
}
