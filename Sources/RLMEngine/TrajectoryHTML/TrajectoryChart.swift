import Foundation

/// Tokens and cost per root turn as inline SVG: stacked bars (the turn's own input and output,
/// then everything its sub-calls and child RLMs spent) and the turn's total cost as a line on
/// its own scale. Each bar links to its turn and names its figures in a tooltip.
enum TrajectoryChart {
    struct Bar {
        var anchor: String
        var label: String
        var own: TreeTotals
        var below: TreeTotals
        var cost: Double { own.costUSD + below.costUSD }
    }

    static let width = 720.0, height = 150.0, left = 46.0, right = 52.0, top = 10.0, bottom = 22.0

    static func svg(_ bars: [Bar]) -> String {
        guard !bars.isEmpty else { return "" }
        let maxTokens = max(bars.map { $0.own.tokens + $0.below.tokens }.max() ?? 0, 1)
        let maxCost = bars.map(\.cost).max() ?? 0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = plotWidth / Double(bars.count)
        let barWidth = max(min(slot * 0.7, 36), 1)
        func y(_ tokens: Int) -> Double { top + plotHeight * (1 - Double(tokens) / Double(maxTokens)) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Tokens and cost per turn\">\n"
        out += "<line class=\"axis\" x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(width - right))\" y2=\"\(number(top + plotHeight))\"/>\n"
        out += "<text class=\"tick\" x=\"\(number(left - 6))\" y=\"\(number(top + 8))\" text-anchor=\"end\">\(shortCount(maxTokens))</text>\n"
        out += "<text class=\"tick\" x=\"\(number(left - 6))\" y=\"\(number(top + plotHeight))\" text-anchor=\"end\">0</text>\n"
        let labelEvery = max(1, Int((Double(bars.count) / 24).rounded(.up)))
        var costPoints: [String] = []
        for (index, bar) in bars.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            let segments: [(String, Int)] = [("seg-in", bar.own.input), ("seg-out", bar.own.output), ("seg-sub", bar.below.tokens)]
            var stacked = 0
            let tooltip = "\(bar.label): \(PageFormat.count(bar.own.tokens + bar.below.tokens)) tokens — this turn's call "
                + "\(PageFormat.count(bar.own.input)) in / \(PageFormat.count(bar.own.output)) out; "
                + "\(PageFormat.plural(bar.below.calls, "sub-call")) \(PageFormat.count(bar.below.tokens)); \(PageFormat.usd(bar.cost))"
            out += "<a href=\"#\(bar.anchor)\"><g class=\"bar\"><title>\(HTML.escape(tooltip))</title>"
            out += "<rect class=\"hit\" x=\"\(number(left + slot * Double(index)))\" y=\"\(number(top))\" width=\"\(number(slot))\" height=\"\(number(plotHeight))\"/>"
            for (name, tokens) in segments where tokens > 0 {
                let y0 = y(stacked + tokens), y1 = y(stacked)
                out += "<rect class=\"\(name)\" x=\"\(number(x))\" y=\"\(number(y0))\" width=\"\(number(barWidth))\" height=\"\(number(max(y1 - y0, 0.5)))\"/>"
                stacked += tokens
            }
            out += "</g></a>\n"
            if index % labelEvery == 0 {
                out += "<text class=\"tick\" x=\"\(number(x + barWidth / 2))\" y=\"\(number(height - 6))\" text-anchor=\"middle\">\(index + 1)</text>\n"
            }
            if maxCost > 0 {
                costPoints.append("\(number(x + barWidth / 2)),\(number(top + plotHeight * (1 - bar.cost / maxCost)))")
            }
        }
        if maxCost > 0 {
            out += "<polyline class=\"cost\" points=\"\(costPoints.joined(separator: " "))\"/>\n"
            for point in costPoints {
                let xy = point.split(separator: ",")
                out += "<circle class=\"cost-dot\" cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\"/>"
            }
            out += "\n<text class=\"tick cost-tick\" x=\"\(number(width - right + 6))\" y=\"\(number(top + 8))\">\(HTML.escape(PageFormat.usd(maxCost)))</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// 12345 → "12.3k".
    static func shortCount(_ value: Int) -> String {
        if value >= 1_000_000 { return String(format: "%.1fM", Double(value) / 1_000_000) }
        if value >= 10_000 { return "\(value / 1000)k" }
        if value >= 1000 { return String(format: "%.1fk", Double(value) / 1000) }
        return "\(value)"
    }
}
