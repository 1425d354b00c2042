import Foundation

/// Numbers as the page shows them; fixed formats, not the machine's locale, so a page reads the
/// same wherever it was written.
enum PageFormat {
    /// 1234567 → "1,234,567".
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    static func usd(_ value: Double) -> String {
        if value == 0 { return "$0" }
        if value < 0.0001 { return "<$0.0001" }
        return String(format: value < 0.1 ? "$%.4f" : "$%.2f", value)
    }

    static func duration(milliseconds value: Double) -> String {
        if value < 1 { return "<1 ms" }
        if value < 1000 { return "\(Int(value.rounded())) ms" }
        if value < 60_000 { return String(format: "%.1f s", value / 1000) }
        let seconds = Int((value / 1000).rounded())
        return "\(seconds / 60) min \(seconds % 60) s"
    }

    static func plural(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    static let timestamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter
    }()
}
