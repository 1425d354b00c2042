import LMClient

/// Tokens, calls and cost summed over part of a trajectory's tree (a turn's sub-calls with the
/// child RLMs they started, a batch), for the chart and the summaries of collapsed sections.
struct TreeTotals: Equatable {
    var input = 0
    var output = 0
    var cached = 0
    var calls = 0
    var costUSD = 0.0
    var errors = 0

    var tokens: Int { input + output }

    mutating func add(_ usage: Usage?, cost: Double?) {
        input += usage?.input ?? 0
        output += usage?.output ?? 0
        cached += usage?.cachedInput ?? 0
        costUSD += cost ?? 0
    }

    /// The turn's own model call.
    static func call(of turn: Trajectory.Turn) -> TreeTotals {
        var totals = TreeTotals()
        totals.add(turn.usage, cost: turn.costUSD)
        totals.calls = 1
        totals.errors = turn.error == nil ? 0 : 1
        return totals
    }

    /// Every call below `records`: plain sub-calls, and each child RLM's turns and their sub-calls.
    static func below(_ records: [Trajectory.SubCallRecord]) -> TreeTotals {
        var totals = TreeTotals()
        for record in records {
            if record.error != nil { totals.errors += 1 }
            guard let child = record.child else {
                totals.add(record.usage, cost: record.costUSD)
                totals.calls += 1
                continue
            }
            for turn in child {
                totals += call(of: turn)
                totals += below(turn.subCalls)
            }
        }
        return totals
    }

    static func += (left: inout TreeTotals, right: TreeTotals) {
        left.input += right.input
        left.output += right.output
        left.cached += right.cached
        left.calls += right.calls
        left.costUSD += right.costUSD
        left.errors += right.errors
    }
}
