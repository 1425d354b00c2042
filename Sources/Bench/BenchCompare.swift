import Foundation

/// Two runs side by side, on the tasks both answered with the same method.
public struct BenchComparison: Sendable, Codable, Equatable {
    public var suite: String
    public var tokens: Int
    public var method: String
    public var tasks: Int
    public var scoreA: Double
    public var scoreB: Double
    public var costA: Double
    public var costB: Double
    public var secondsA: Double
    public var secondsB: Double
    /// Tasks whose score went up, and down, from A to B.
    public var better: Int
    public var worse: Int

    public static func compare(_ a: [BenchResult], _ b: [BenchResult]) -> [BenchComparison] {
        let byKey = Dictionary(b.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let pairs = a.compactMap { left in byKey[left.key].map { (left, $0) } }
        let groups = Dictionary(grouping: pairs) { [$0.0.suite, String($0.0.tokens), $0.0.method] }
        return groups.map { key, group in
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
            return BenchComparison(
                suite: key[0], tokens: Int(key[1]) ?? 0, method: key[2], tasks: group.count,
                scoreA: mean(group.map(\.0.score)), scoreB: mean(group.map(\.1.score)),
                costA: mean(group.map(\.0.costUsd)), costB: mean(group.map(\.1.costUsd)),
                secondsA: mean(group.map(\.0.seconds)), secondsB: mean(group.map(\.1.seconds)),
                better: group.filter { $0.1.score > $0.0.score }.count, worse: group.filter { $0.1.score < $0.0.score }.count)
        }.sorted { ($0.suite, $0.tokens, BenchRow.methodOrder($0.method)) < ($1.suite, $1.tokens, BenchRow.methodOrder($1.method)) }
    }

    public static func render(_ rows: [BenchComparison]) -> String {
        let header = ["size", "method", "n", "score A", "score B", "Δ score", "better", "worse", "cost A", "cost B", "seconds A", "seconds B"]
        return TextTable.align([header] + rows.map { row in
            [TokenCount.describe(row.tokens), row.method, String(row.tasks), String(format: "%.3f", row.scoreA), String(format: "%.3f", row.scoreB),
             String(format: "%+.3f", row.scoreB - row.scoreA), String(row.better), String(row.worse), String(format: "$%.4f", row.costA),
             String(format: "$%.4f", row.costB), String(format: "%.2f", row.secondsA), String(format: "%.2f", row.secondsB)]
        })
    }
}
