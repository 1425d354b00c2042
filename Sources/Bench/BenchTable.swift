import Foundation

/// Results grouped and summarised: score, cost (mean and median), tokens, calls and wall time.
public struct BenchRow: Sendable, Codable, Equatable {
    public var suite: String
    /// `all` in the per-size table.
    public var kind: String
    public var tokens: Int
    public var method: String
    public var tasks: Int
    public var score: Double
    public var costMean: Double
    public var costMedian: Double
    public var tokensMean: Double
    public var callsMean: Double
    public var secondsMean: Double
    public var partial: Int
    public var errors: Int

    /// One row per (size, method) — the papers' table — or per (kind, size, method).
    public static func summarize(_ results: [BenchResult], byKind: Bool) -> [BenchRow] {
        let groups = Dictionary(grouping: results) { [$0.suite, byKind ? $0.kind : "all", String($0.tokens), $0.method] }
        return groups.map { key, group in
            func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
            return BenchRow(
                suite: key[0], kind: key[1], tokens: Int(key[2]) ?? 0, method: key[3], tasks: group.count, score: mean(group.map(\.score)),
                costMean: mean(group.map(\.costUsd)), costMedian: median(group.map(\.costUsd)),
                tokensMean: mean(group.map { Double($0.inputTokens + $0.outputTokens) }), callsMean: mean(group.map { Double($0.calls) }),
                secondsMean: mean(group.map(\.seconds)), partial: group.filter(\.partial).count, errors: group.filter { $0.error != nil }.count)
        }.sorted { ($0.suite, $0.tokens, $0.kind, methodOrder($0.method)) < ($1.suite, $1.tokens, $1.kind, methodOrder($1.method)) }
    }

    static func methodOrder(_ method: String) -> Int {
        BenchMethod.allCases.firstIndex { $0.rawValue == method } ?? BenchMethod.allCases.count
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// Plain-text tables, aligned for a terminal.
public enum TextTable {
    public static func render(_ rows: [BenchRow], byKind: Bool) -> String {
        var header = ["size", "method", "n", "score", "cost mean", "cost median", "tokens", "calls", "seconds", "partial", "errors"]
        if byKind { header.insert("task", at: 0) }
        let body = rows.map { row -> [String] in
            var cells = [TokenCount.describe(row.tokens), row.method, String(row.tasks), String(format: "%.3f", row.score),
                         String(format: "$%.4f", row.costMean), String(format: "$%.4f", row.costMedian), compact(row.tokensMean),
                         String(format: "%.1f", row.callsMean), String(format: "%.2f", row.secondsMean), String(row.partial), String(row.errors)]
            if byKind { cells.insert(row.kind, at: 0) }
            return cells
        }
        return align([header] + body)
    }

    public static func align(_ lines: [[String]]) -> String {
        guard let width = lines.first?.count else { return "" }
        let widths = (0..<width).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + pad : pad + cell  // names left, numbers right
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }

    static func compact(_ value: Double) -> String {
        value >= 10_000 ? String(format: "%.1fk", value / 1000) : String(format: "%.0f", value)
    }
}
