import Foundation

/// A trajectory as one self-contained HTML page (`rlmd trajectory ID --html`, `rlm/trajectory`
/// with `format: "html"`): the question, the answer and how it ended, totals, citations with
/// their lines, a chart per turn, then every turn with its prose, code, output and sub-calls.
/// It loads nothing: the style and script are inlined and admitted by a Content-Security-Policy
/// that forbids every other source. All text in it is escaped; the model wrote most of it.
public struct TrajectoryPage: Sendable {
    public var trajectory: Trajectory
    /// The cited lines, in the order of `trajectory.citations` (nil: unresolved or unreadable).
    public var excerpts: [CitationExcerpt?]
    /// Said above the citations: where their lines come from, or why they could not be read.
    public var excerptsNote: String?

    public init(trajectory: Trajectory, excerpts: [CitationExcerpt?] = [], excerptsNote: String? = nil) {
        self.trajectory = trajectory
        self.excerpts = excerpts
        self.excerptsNote = excerptsNote
    }

    public func html() -> String {
        var builder = PageBuilder(trajectory: trajectory)
        let overview = builder.overview(excerpts: excerpts, note: excerptsNote)
        let timeline = builder.timeline()
        let title = HTML.escape("rlmd · " + HTML.oneLine(trajectory.question, limit: 80))
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(PageAssets.contentSecurityPolicy)">
            <meta name="referrer" content="no-referrer">
            <meta name="generator" content="rlmd">
            <title>\(title)</title>
            <style>\(PageAssets.style)</style>
            </head>
            <body>
            <header class="bar"><div class="bar-inner">
            <span class="brand">rlmd</span><span class="crumb">trajectory <code>\(HTML.escape(trajectory.id))</code></span>
            <span class="find"><input id="find" type="search" placeholder="Search this page" autocomplete="off" spellcheck="false" aria-label="Search this page"><span id="find-count" class="find-count"></span><button id="find-prev" type="button" title="Previous match (Shift+Enter)" aria-label="Previous match">↑</button><button id="find-next" type="button" title="Next match (Enter)" aria-label="Next match">↓</button></span>
            <span class="bar-actions"><button id="expand-all" type="button">Expand all</button><button id="collapse-all" type="button">Collapse all</button></span>
            </div></header>
            <main id="page">

            """
        page.reserveCapacity(overview.utf8.count + timeline.utf8.count + builder.bodies.texts.reduce(0) { $0 + $1.utf8.count } + 64_000)
        page += overview
        page += timeline
        page += "</main>\n<footer class=\"foot\">Written by rlmd from trajectory \(HTML.escape(trajectory.id)). "
            + "This page is self-contained: it loads nothing from the network.</footer>\n"
        page += builder.bodies.script()
        page += "<script>\(PageAssets.script)</script>\n</body>\n</html>\n"
        return page
    }
}

/// Writes the parts of one page; long texts go to `bodies`, every turn gets a unique anchor.
struct PageBuilder {
    let trajectory: Trajectory
    var bodies = LazyBodies()
    var turnCount = 0

    init(trajectory: Trajectory) { self.trajectory = trajectory }

    // MARK: Overview

    mutating func overview(excerpts: [CitationExcerpt?], note: String?) -> String {
        var out = "<section class=\"overview\">\n"
        let context = trajectory.kind == "text" ? "text \(trajectory.root)" : "\(trajectory.kind) \(trajectory.root)"
        out += "<p class=\"eyebrow\"><span>\(HTML.escape(context))</span><span>\(PageFormat.timestamp.string(from: trajectory.createdAt))</span></p>\n"
        out += "<h1 class=\"label\">Question</h1>\n"
        out += "<div class=\"question\">\(HTML.escape(trajectory.question))</div>\n"
        out += ending()
        if let answer = trajectory.answer, !answer.isEmpty {
            out += "<div class=\"answer md\">\(Markdown.html(answer))</div>\n"
        } else {
            out += "<p class=\"muted\">No answer was given.</p>\n"
        }
        out += totals()
        out += "</section>\n"
        out += citations(excerpts: excerpts, note: note)
        out += chart()
        return out
    }

    /// Complete, partial (and why) or failed.
    private func ending() -> String {
        let reason = trajectory.stopReason.map(HTML.escape) ?? ""
        if trajectory.stopReason?.hasPrefix("error:") == true {
            return "<p class=\"status failed\"><span class=\"status-word\">Failed</span> \(reason)</p>\n"
        }
        if trajectory.partial {
            let why = reason.isEmpty ? "" : " — \(reason)"
            return "<p class=\"status partial\"><span class=\"status-word\">Partial</span>\(why). "
                + "The answer comes from one last call that was told to answer from what had been found.</p>\n"
        }
        let finalTurn = trajectory.turns.last.map { " in turn \($0.iteration)" } ?? ""
        return "<p class=\"status complete\"><span class=\"status-word\">Complete</span> — model code called FINAL\(finalTurn).</p>\n"
    }

    private func totals() -> String {
        let usage = trajectory.usage
        var cells: [(String, String, String?)] = [
            ("Turns", PageFormat.count(usage.iterations), nil),
            ("Model calls", PageFormat.count(usage.calls), nil),
            ("Input tokens", PageFormat.count(usage.input), nil),
            ("Output tokens", PageFormat.count(usage.output), nil),
            ("Cached input", PageFormat.count(usage.cached), nil),
            ("Cost", PageFormat.usd(usage.costUSD),
             usage.unpricedCalls > 0 ? "\(PageFormat.plural(usage.unpricedCalls, "call")) unpriced" : nil),
            ("Wall time", trajectory.wallMilliseconds.map { PageFormat.duration(milliseconds: $0) } ?? "—",
             trajectory.wallMilliseconds == nil ? "not recorded" : nil),
        ]
        if usage.depth > 1 { cells.append(("Depth", "\(usage.depth)", nil)) }
        var out = "<dl class=\"totals\">\n"
        for (label, value, note) in cells {
            let small = note.map { "<span class=\"note\">\(HTML.escape($0))</span>" } ?? ""
            out += "<div><dt>\(label)</dt><dd>\(HTML.escape(value))\(small)</dd></div>\n"
        }
        out += "</dl>\n"
        out += "<p class=\"models\">\(models())</p>\n"
        return out
    }

    /// Which model played which part: the root, the sub-calls, and each child depth seen.
    private func models() -> String {
        var parts = ["<span><b>\(HTML.escape(trajectory.model))</b> root</span>"]
        var seenSub: [String] = []
        var childModels: [Int: [String]] = [:]
        func visit(_ turns: [Trajectory.Turn]) {
            for turn in turns {
                for call in turn.subCalls {
                    if call.child != nil {
                        if !(childModels[turn.depth + 1] ?? []).contains(call.model) { childModels[turn.depth + 1, default: []].append(call.model) }
                        visit(call.child ?? [])
                    } else if !seenSub.contains(call.model) {
                        seenSub.append(call.model)
                    }
                }
            }
        }
        visit(trajectory.turns)
        if seenSub.isEmpty { seenSub = [trajectory.subModel] }
        parts.append("<span><b>\(seenSub.map(HTML.escape).joined(separator: ", "))</b> sub-calls</span>")
        for depth in childModels.keys.sorted() {
            parts.append("<span><b>\(childModels[depth, default: []].map(HTML.escape).joined(separator: ", "))</b> child RLM, depth \(depth)</span>")
        }
        let limits = trajectory.limits
        var budget = ["\(limits.maxIterations) turns", "\(limits.maxCalls) calls", "\(Int(limits.maxWallSeconds)) s"]
        if let tokens = limits.maxTokens { budget.append("\(PageFormat.count(tokens)) tokens") }
        if let usd = limits.maxUSD { budget.append(PageFormat.usd(usd)) }
        parts.append("<span class=\"muted\">budget \(HTML.escape(budget.joined(separator: " · ")))</span>")
        return parts.joined(separator: "")
    }

    private func citations(excerpts: [CitationExcerpt?], note: String?) -> String {
        let citations = trajectory.citations
        guard !citations.isEmpty else { return "" }
        let unresolved = citations.filter { !$0.resolved }.count
        var out = "<section class=\"citations\">\n<h2>Citations <span class=\"count\">\(citations.count)</span>"
        if unresolved > 0 { out += " <span class=\"tag bad\">\(unresolved) not in the index</span>" }
        out += "</h2>\n"
        if let note { out += "<p class=\"muted small\">\(HTML.escape(note))</p>\n" }
        out += "<ol class=\"cite-list\">\n"
        for (index, citation) in citations.enumerated() {
            let range = citation.startLine == citation.endLine ? "\(citation.startLine)" : "\(citation.startLine)-\(citation.endLine)"
            let place = citation.startLine == 0 ? citation.path : "\(citation.path):\(range)"
            out += "<li id=\"cite-\(index + 1)\" class=\"\(citation.resolved ? "" : "unresolved")\">"
            out += "<div class=\"cite-head\"><code class=\"place\">\(HTML.escape(place))</code>"
            if citation.text != place { out += " <span class=\"muted small\">written as <code>\(HTML.escape(citation.text))</code></span>" }
            if !citation.resolved { out += " <span class=\"tag bad\">unresolved: no such lines in the index</span>" }
            out += "</div>"
            if let excerpt = index < excerpts.count ? excerpts[index] : nil {
                out += excerptHTML(excerpt, path: citation.path)
            }
            out += "</li>\n"
        }
        out += "</ol>\n</section>\n"
        return out
    }

    private func excerptHTML(_ excerpt: CitationExcerpt, path: String) -> String {
        let python = path.hasSuffix(".py")
        var out = "<pre class=\"excerpt\">"
        for (offset, line) in excerpt.lines.enumerated() {
            let text = python ? PythonHighlighter.html(line) : HTML.escape(line)
            out += "<span class=\"ln\">\(excerpt.firstLine + offset)</span>\(text)\n"
        }
        if excerpt.moreLines > 0 { out += "<span class=\"cut\">… \(PageFormat.plural(excerpt.moreLines, "more line"))</span>\n" }
        out += "</pre>"
        return out
    }

    private func chart() -> String {
        let bars = trajectory.turns.enumerated().map { index, turn in
            TrajectoryChart.Bar(anchor: "turn-\(index + 1)", label: "Turn \(turn.iteration)\(turn.answerNow ? " (answer now)" : "")",
                                own: TreeTotals.call(of: turn), below: TreeTotals.below(turn.subCalls))
        }
        guard !bars.isEmpty else { return "" }
        var out = "<section class=\"chart-box\">\n<h2>Tokens and cost per turn</h2>\n"
        out += TrajectoryChart.svg(bars)
        let cost = bars.contains { $0.cost > 0 }
        out += "<p class=\"legend\"><span class=\"key seg-in\"></span>turn input<span class=\"key seg-out\"></span>turn output"
            + "<span class=\"key seg-sub\"></span>sub-calls and child RLMs"
            + (cost ? "<span class=\"key cost\"></span>cost (right scale)" : "<span class=\"muted\">no priced calls: cost is $0</span>") + "</p>\n"
        out += "</section>\n"
        return out
    }
}
