import Bench
import Testing

/// The scoring rules with hand-computed cases, OOLONG's numeric rule among them.
@Suite struct ScoringTests {
    static let labels = ["abbreviation", "description and abstract concept", "entity", "human being", "location", "numeric value"]

    @Test func countsScoreThreeQuartersToThePowerOfTheError() {
        #expect(Scoring.numeric(given: 12, expected: 12) == 1)
        #expect(Scoring.numeric(given: 13, expected: 12) == 0.75)
        #expect(Scoring.numeric(given: 10, expected: 12) == 0.5625)
        #expect(abs(Scoring.numeric(given: 0, expected: 5) - 0.2373046875) < 1e-12)
        #expect(Scoring.score("There are 14 such questions.\nAnswer: 12", against: .number(12)) == 1)
        #expect(Scoring.score("Answer: 1,204", against: .number(1203)) == 0.75)
        #expect(Scoring.score("I counted 9", against: .number(10)) == 0.75)
        #expect(Scoring.score("Answer: -2", against: .number(0)) == 0.5625)
        #expect(Scoring.score("no idea", against: .number(3)) == 0)
    }

    @Test func labelsMatchExactlyAfterNormalisingAndTheLongestNameWins() {
        #expect(Scoring.score("Answer: Human Being.", against: .label("human being", choices: Self.labels)) == 1)
        #expect(Scoring.score("answer: 'entity'", against: .label("entity", choices: Self.labels)) == 1)
        #expect(Scoring.score("Answer: location", against: .label("entity", choices: Self.labels)) == 0)
        // "identity" is not the label "entity"; the label after "Answer:" counts, not one mentioned before.
        #expect(Scoring.extractLabel("Answer: identity theft", choices: Self.labels) == nil)
        #expect(Scoring.extractLabel("Not location. Answer: numeric value", choices: Self.labels) == "numeric value")
        #expect(Scoring.extractLabel("Answer: description and abstract concept", choices: Self.labels) == "description and abstract concept")
    }

    @Test func comparisonsAreReadFromTheWordsUsed() {
        #expect(Scoring.score("Answer: 'entity' is more common than 'location'", against: .comparison("more common than")) == 1)
        #expect(Scoring.score("Answer: 'entity' is less frequent than 'location'", against: .comparison("less common than")) == 1)
        #expect(Scoring.score("They have the same frequency.", against: .comparison("same frequency as")) == 1)
        #expect(Scoring.score("Answer: 'entity' is more common than 'location'", against: .comparison("less common than")) == 0)
        #expect(Scoring.extractComparison("sameness") == nil)
    }

    @Test func needlesCountWhenTheirValuesAreContained() {
        #expect(Scoring.score("The special magic number is 4721093.", against: .contains(["4721093"])) == 1)
        #expect(Scoring.score("4721093 and 55", against: .contains(["4721093", "1234567"])) == 0.5)
        #expect(Scoring.score("472109", against: .contains(["4721093"])) == 0)
    }

    @Test func tokenCountsParseAndPrint() {
        #expect(TokenCount.parse("2^14") == 16_384)
        #expect(TokenCount.parse("8k") == 8_000)
        #expect(TokenCount.parse("1.5M") == 1_500_000)
        #expect(TokenCount.parse("300") == 300)
        #expect(TokenCount.parse("0") == nil && TokenCount.parse("x") == nil && TokenCount.parse("2^99") == nil)
        #expect(TokenCount.describe(16_384) == "2^14" && TokenCount.describe(8_000) == "8k" && TokenCount.describe(10_000_000) == "10m")
    }

    @Test func aSeedGivesTheSameNumbersEverywhere() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        // SplitMix64's published first output for seed 0.
        var zero = SeededRandom(seed: 0)
        #expect(zero.next() == 0xe220_a839_7b1d_cdaf)
    }
}
