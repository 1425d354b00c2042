import Foundation

extension Duration {
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// "2" or "0.5", for messages.
    var secondsDescription: String {
        let value = milliseconds / 1000
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
