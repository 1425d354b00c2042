/// The timeline: every turn (the model's prose, its cells with code, output and errors) and,
/// under the cell that made them, its sub-calls as a collapsible tree — batches grouped, child
/// RLMs with their own turns nested inside the `rlm_query` that started them.
extension PageBuilder {
    mutating func timeline() -> String {
        var out = "<section class=\"timeline\">\n<h2>Timeline <span class=\"count\">\(PageFormat.plural(trajectory.turns.count, "turn"))</span></h2>\n"
        if trajectory.turns.isEmpty { out += "<p class=\"muted\">No turn was recorded.</p>\n" }
        for (index, turn) in trajectory.turns.enumerated() {
            out += self.turn(turn, anchor: "turn-\(index + 1)", model: trajectory.model)
        }
        out += "</section>\n"
        return out
    }

    mutating func turn(_ turn: Trajectory.Turn, anchor: String, model: String) -> String {
        turnCount += 1
        var out = "<article class=\"turn depth-\(min(turn.depth, 4))\" id=\"\(anchor)\">\n<header class=\"turn-head\">"
        out += "<a class=\"turn-no\" href=\"#\(anchor)\">Turn \(turn.iteration)</a>"
        if turn.depth > 1 { out += "<span class=\"tag\">depth \(turn.depth)</span>" }
        if turn.answerNow { out += "<span class=\"tag warn\">answer now</span>" }
        if turn.error != nil { out += "<span class=\"tag bad\">model call failed</span>" }
        var meta: [String] = []
        if let started = turn.startedMs { meta.append("at \(PageFormat.duration(milliseconds: started))") }
        meta.append(model)
        if let usage = turn.usage {
            meta.append("\(PageFormat.count(usage.input)) in · \(PageFormat.count(usage.output)) out"
                        + (usage.cachedInput > 0 ? " · \(PageFormat.count(usage.cachedInput)) cached" : ""))
        }
        if let cost = turn.costUSD { meta.append(PageFormat.usd(cost)) }
        if let model = turn.modelMilliseconds { meta.append("model \(PageFormat.duration(milliseconds: model))") }
        if let total = turn.milliseconds { meta.append("turn \(PageFormat.duration(milliseconds: total))") }
        out += Self.meta(meta) + "</header>\n"

        if let error = turn.error { out += "<div class=\"error-box\">\(HTML.escape(error))</div>\n" }
        let prose = turn.answerNow ? RLMRun.proseOnly(turn.reply) : CodeBlocks.split(turn.reply).prose
        if !prose.isEmpty { out += "<div class=\"prose md\">\(Markdown.html(prose))</div>\n" }
        if turn.cells.isEmpty && turn.error == nil && !turn.answerNow && turn.iteration > 0 {
            out += "<p class=\"muted small\">The reply had no <code>```repl</code> block: nothing ran.</p>\n"
        }
        for (index, cell) in turn.cells.enumerated() {
            out += self.cell(cell, number: index + 1, calls: turn.subCalls.filter { $0.cell == index }, depth: turn.depth)
        }
        let unfiled = turn.subCalls.filter { record in record.cell.map { $0 >= turn.cells.count } ?? true }
        if !unfiled.isEmpty {
            out += "<div class=\"calls\"><div class=\"io-label\">Sub-calls of this turn</div>\n\(calls(unfiled, depth: turn.depth))</div>\n"
        }
        out += "</article>\n"
        return out
    }

    mutating func cell(_ cell: Trajectory.Cell, number: Int, calls records: [Trajectory.SubCallRecord], depth: Int) -> String {
        let result = cell.result
        var out = "<section class=\"cell\">\n<div class=\"cell-head\"><span class=\"cell-no\">Cell \(number)</span>"
        out += Self.meta([PageFormat.duration(milliseconds: result.durationMs)])
        if result.error != nil { out += "<span class=\"tag bad\">error</span>" }
        if result.timedOut { out += "<span class=\"tag bad\">timed out</span>" }
        if result.stateLost { out += "<span class=\"tag warn\">REPL restarted</span>" }
        if result.final != nil { out += "<span class=\"tag ok\">FINAL</span>" }
        if [result.stdout, result.stderr].contains(where: { $0.contains(" chars cut; output keeps") || $0.contains("bytes of process output cut") }) {
            out += "<span class=\"tag warn\">output cut</span>"
        }
        out += "</div>\n<pre class=\"code py\"><code>\(PythonHighlighter.html(cell.code))</code></pre>\n"
        if !result.stdout.isEmpty { out += "<div class=\"io-label\">Output</div>\n" + bodies.pre(result.stdout, class: "out") + "\n" }
        if !result.stderr.isEmpty { out += "<div class=\"io-label\">stderr</div>\n" + bodies.pre(result.stderr, class: "out err") + "\n" }
        if let error = result.error { out += "<div class=\"io-label bad\">Error</div>\n" + bodies.pre(error, class: "out err") + "\n" }
        if result.stdout.isEmpty && result.stderr.isEmpty && result.error == nil && result.final == nil {
            out += "<p class=\"muted small\">(no output)</p>\n"
        }
        if let final = result.final { out += "<div class=\"io-label ok\">FINAL</div>\n" + bodies.pre(final, class: "out final") + "\n" }
        if !records.isEmpty {
            out += "<div class=\"calls\"><div class=\"io-label\">\(PageFormat.plural(records.count, "sub-call"))</div>\n\(calls(records, depth: depth))</div>\n"
        }
        out += "</section>\n"
        return out
    }

    /// Sub-calls in the order they started, each batch as one node holding its prompts in order.
    mutating func calls(_ records: [Trajectory.SubCallRecord], depth: Int) -> String {
        let ordered = records.enumerated().sorted { a, b in
            (a.element.startedMs ?? Double(a.offset), a.offset) < (b.element.startedMs ?? Double(b.offset), b.offset)
        }.map(\.element)
        var out = ""
        var done = Set<Int>()
        for record in ordered {
            guard let batch = record.batch else {
                out += call(record, depth: depth, label: nil)
                continue
            }
            guard done.insert(batch.request).inserted else { continue }
            let members = ordered.filter { $0.batch?.request == batch.request }.sorted { ($0.batch?.index ?? 0) < ($1.batch?.index ?? 0) }
            out += self.batch(members, depth: depth)
        }
        return out
    }

    mutating func batch(_ members: [Trajectory.SubCallRecord], depth: Int) -> String {
        let totals = TreeTotals.below(members)
        // From the first start to the last end: the batch's wall time, its calls overlapping.
        let first = members.compactMap(\.startedMs).min()
        let last = members.compactMap { member in member.startedMs.map { $0 + member.milliseconds } }.max()
        let span = first.flatMap { start in last.map { $0 - start } } ?? members.map(\.milliseconds).max() ?? 0
        let size = members.first?.batch?.count ?? members.count
        var meta = [Set(members.map(\.model)).sorted().joined(separator: ", "), "depth \(depth + 1)",
                    "\(PageFormat.count(totals.input)) in · \(PageFormat.count(totals.output)) out", PageFormat.usd(totals.costUSD),
                    PageFormat.duration(milliseconds: span)]
        if members.count < size { meta.append("\(members.count) of \(size) recorded") }
        var out = "<details class=\"batch\"><summary><span class=\"kind\">llm_query_batched</span>"
        out += "<span class=\"preview\">\(PageFormat.plural(size, "prompt"))</span>"
        if totals.errors > 0 { out += "<span class=\"tag bad\">\(PageFormat.plural(totals.errors, "error"))</span>" }
        out += Self.meta(meta) + "</summary>\n<div class=\"batch-body\">\n"
        for member in members {
            out += call(member, depth: depth, label: "#\((member.batch?.index ?? 0) + 1)")
        }
        out += "</div></details>\n"
        return out
    }

    mutating func call(_ record: Trajectory.SubCallRecord, depth: Int, label: String?) -> String {
        let isChild = record.child != nil
        var out = "<details class=\"call\(isChild ? " child" : "")\(record.error == nil ? "" : " failed")\"><summary>"
        if let label { out += "<span class=\"index\">\(label)</span>" }
        out += "<span class=\"kind\">\(HTML.escape(record.kind))\(isChild ? " · child RLM" : "")</span>"
        out += "<span class=\"preview\">\(HTML.escape(HTML.oneLine(record.prompt, limit: 140)))</span>"
        if record.error != nil { out += "<span class=\"tag bad\">\(record.error?.hasPrefix("partial") == true ? "partial" : "error")</span>" }
        var meta = [record.model, "depth \(depth + 1)"]
        if isChild {
            let totals = TreeTotals.below([record])
            meta.append(PageFormat.plural(record.child?.count ?? 0, "turn"))
            meta.append("\(PageFormat.count(totals.input)) in · \(PageFormat.count(totals.output)) out")
            meta.append(PageFormat.usd(totals.costUSD))
        } else {
            if let usage = record.usage { meta.append("\(PageFormat.count(usage.input)) in · \(PageFormat.count(usage.output)) out") }
            if let cost = record.costUSD { meta.append(PageFormat.usd(cost)) }
        }
        meta.append(PageFormat.duration(milliseconds: record.milliseconds))
        out += Self.meta(meta) + "</summary>\n<div class=\"call-body\">\n"
        out += "<div class=\"io-label\">Prompt</div>\n" + bodies.pre(record.prompt, class: "text") + "\n"
        if let response = record.response {
            out += "<div class=\"io-label\">\(isChild ? "Answer" : "Reply")</div>\n" + bodies.pre(response, class: "text") + "\n"
        }
        if let error = record.error { out += "<div class=\"error-box\">\(HTML.escape(error))</div>\n" }
        if let child = record.child {
            out += "<div class=\"child-turns\">\n"
            for turn in child {
                out += self.turn(turn, anchor: "t\(turnCount + 1)", model: record.model)
            }
            out += "</div>\n"
        }
        out += "</div></details>\n"
        return out
    }

    /// Figures in a header, as text: `<1 ms` and model names must not become markup.
    static func meta(_ items: [String]) -> String {
        "<span class=\"meta\">" + items.map { "<span>\(HTML.escape($0))</span>" }.joined() + "</span>"
    }
}
