import Foundation

/// How answers are scored, as the benchmarks they imitate score them: OOLONG gives exact match for
/// labels and comparisons and 0.75^|error| for counts; RULER's needles count when their value is
/// contained in the answer. Scores are in 0...1.
public enum Scoring {
    public static func score(_ answer: String, against reference: BenchTask.Reference) -> Double {
        switch reference {
        case .label(let label, let choices):
            return normalize(label) == extractLabel(answer, choices: choices).map(normalize) ? 1 : 0
        case .comparison(let relation):
            return extractComparison(answer) == relation ? 1 : 0
        case .number(let expected):
            guard let given = extractNumber(answer) else { return 0 }
            return numeric(given: given, expected: expected)
        case .contains(let values):
            guard !values.isEmpty else { return 0 }
            return Double(values.filter { answer.contains($0) }.count) / Double(values.count)
        case .judged:
            return 0  // scored by the judge (`Judge`), not by rule
        }
    }

    /// OOLONG's rule for counts: 0.75 to the power of the absolute error.
    public static func numeric(given: Int, expected: Int) -> Double {
        pow(0.75, Double(abs(given - expected)))
    }

    /// The part of an answer after its last `Answer:` (case-insensitive), or all of it.
    public static func finalPart(_ answer: String) -> Substring {
        guard let range = answer.range(of: "answer:", options: [.caseInsensitive, .backwards]) else { return Substring(answer) }
        return answer[range.upperBound...]
    }

    /// The choice the answer names first (after `Answer:`); the longest name wins where names overlap.
    public static func extractLabel(_ answer: String, choices: [String]) -> String? {
        let text = " " + normalize(String(finalPart(answer))) + " "
        var best: (position: String.Index, length: Int, choice: String)?
        for choice in choices {
            guard let range = text.range(of: " " + normalize(choice) + " ") else { continue }
            let candidate = (range.lowerBound, choice.count, choice)
            if best == nil || candidate.0 < best!.position || (candidate.0 == best!.position && candidate.1 > best!.length) {
                best = candidate
            }
        }
        return best?.choice
    }

    /// `more common than`, `less common than` or `same frequency as`, as the answer words it.
    public static func extractComparison(_ answer: String) -> String? {
        let text = " " + normalize(String(finalPart(answer))) + " "
        let forms: [(String, [String])] = [
            ("more common than", ["more common", "more frequent", "greater"]),
            ("less common than", ["less common", "less frequent", "fewer", "rarer"]),
            ("same frequency as", ["same frequency", "same", "equal", "as common as"]),
        ]
        var best: (position: String.Index, relation: String)?
        for (relation, words) in forms {
            for word in words {
                guard let range = text.range(of: " " + word + " ") else { continue }
                if best == nil || range.lowerBound < best!.position { best = (range.lowerBound, relation) }
            }
        }
        return best?.relation
    }

    /// The first integer after `Answer:` (thousands separators allowed), or in the whole answer.
    public static func extractNumber(_ answer: String) -> Int? {
        firstInteger(in: finalPart(answer)) ?? firstInteger(in: Substring(answer))
    }

    private static func firstInteger(in text: Substring) -> Int? {
        var digits = ""
        var negative = false
        var previous: Character = " "
        for character in text {
            if character.isASCII, character.isNumber {
                if digits.isEmpty { negative = previous == "-" }
                digits.append(character)
            } else if character == ",", !digits.isEmpty {
                continue
            } else if !digits.isEmpty {
                break
            }
            previous = character
        }
        guard let value = Int(digits) else { return nil }
        return negative ? -value : value
    }

    /// Lowercased, quotes and punctuation around words dropped, whitespace collapsed.
    static func normalize(_ text: String) -> String {
        let kept = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        return String(kept).split(separator: " ").joined(separator: " ")
    }
}
