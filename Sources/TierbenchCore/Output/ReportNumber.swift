import Foundation

/// Number formatting shared by every output format: locale-independent, deterministic, and short.
public enum ReportNumber {
    /// A compact decimal: integers without a fraction (`800`), otherwise 1–3 decimals depending on magnitude
    /// (`812.4`, `12.35`, `0.0123`), trailing zeros removed; very small values in scientific notation.
    public static func plain(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        let text: String
        if magnitude >= 100 {
            text = String(format: "%.1f", value)
        } else if magnitude >= 1 {
            text = String(format: "%.2f", value)
        } else if magnitude >= 0.001 {
            text = String(format: "%.4f", value)
        } else {
            return String(format: "%.3g", value)
        }
        return trimZeros(text)
    }

    /// A fixed number of decimals, for table columns that should line up.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return plain(value) }
        return String(format: "%.\(max(0, min(decimals, 9)))f", value)
    }

    /// A fraction as a percentage: 0.0123 → `1.23%`.
    public static func percent(_ fraction: Double, decimals: Int = 2) -> String {
        guard fraction.isFinite else { return plain(fraction) }
        return trimZeros(String(format: "%.\(max(0, min(decimals, 6)))f", fraction * 100)) + "%"
    }

    /// A signed relative change: 0.2 → `+20.0%`, -0.05 → `-5.0%`.
    public static func change(_ relative: Double) -> String {
        guard relative.isFinite else { return relative > 0 ? "+inf" : (relative < 0 ? "-inf" : "n/a") }
        return (relative >= 0 ? "+" : "") + String(format: "%.1f", relative * 100) + "%"
    }

    /// An integer with thousands separators: 1234567 → `1,234,567`.
    public static func grouped(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return plain(value) }
        let integer = Int64(value.rounded())
        let digits = String(integer.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (integer < 0 ? "-" : "") + out
    }

    /// A value in its metric's unit for people: `812.4 ms`, `1.25%`, `53.2/s`, `1,200`.
    public static func withUnit(_ value: Double, unit: MetricTraits.Unit) -> String {
        switch unit {
        case .fraction: return percent(value)
        case .count: return grouped(value)
        default: return plain(value) + ThresholdEvaluator.unitSuffix(unit)
        }
    }

    private static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
