import Foundation

/// A `Duration` as a floating-point count, for reports and JSON (timings, budgets, poll timeouts).
extension Duration {
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// "2" or "0.5", for messages.
    public var secondsDescription: String {
        let value = milliseconds / 1000
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
