import Foundation

/// Number formatting shared by the sweep's table, CSV and reasons (locale-independent).
public enum SweepFormat {
    /// A compact number: integers without decimals, otherwise up to `digits` significant decimals.
    public static func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "-" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : digits
        return String(format: "%.\(decimals)f", value)
    }

    /// A fraction as a percentage, e.g. 0.0625 → "6.3%".
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return String(format: "%.1f%%", fraction * 100)
    }

    /// US dollars with two decimals, more for amounts under a dollar: "$0.031", "$12.40".
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return value < 1 ? String(format: "$%.4f", value) : String(format: "$%.2f", value)
    }

    /// A duration in seconds as "42 s", "4.2 min", "3.1 h" or "2.5 d".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        if seconds < 120 { return String(format: "%.0f s", seconds) }
        if seconds < 7200 { return String(format: "%.1f min", seconds / 60) }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f d", seconds / 86_400)
    }

    /// A CSV field: quoted when it holds a comma, quote or newline.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A full-precision number for CSV: shortest round-trip form, empty for nil or non-finite.
    static func csvNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
