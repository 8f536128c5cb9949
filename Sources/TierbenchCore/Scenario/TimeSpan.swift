import Foundation

/// A length of time with nanosecond resolution, written in scenario files with a unit: `250ms`, `20s`, `1.5m`, `2h`.
///
/// Durations in scenarios always carry units; a bare number is an error, never silently seconds or milliseconds.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The length in nanoseconds.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func nanoseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value) }
    public static func microseconds(_ value: Double) -> TimeSpan { TimeSpan(nanoseconds: Int64((value * 1e3).rounded())) }
    public static func milliseconds(_ value: Double) -> TimeSpan { TimeSpan(nanoseconds: Int64((value * 1e6).rounded())) }
    public static func seconds(_ value: Double) -> TimeSpan { TimeSpan(nanoseconds: Int64((value * 1e9).rounded())) }
    public static let zero = TimeSpan(nanoseconds: 0)

    /// The length in seconds.
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// The length in milliseconds.
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds + rhs.nanoseconds) }
    public static func - (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds - rhs.nanoseconds) }

    /// Units accepted by `parse`, with their length in nanoseconds.
    public static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Parses `"250ms"`, `"20s"`, `"1.5m"`, `"2h"`, `"1m30s"`. Returns nil when the text has no unit or is malformed.
    public static func parse(_ text: String) -> TimeSpan? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex { !($0.isNumber || $0 == ".") } ?? rest.endIndex
            guard numberEnd != rest.startIndex, let value = Double(rest[..<numberEnd]) else { return nil }
            rest = rest[numberEnd...]
            let unitEnd = rest.firstIndex { $0.isNumber || $0 == "." } ?? rest.endIndex
            let unit = rest[..<unitEnd]
            guard let scale = units.first(where: { $0.suffix == unit })?.nanoseconds else { return nil }
            total += value * scale
            rest = rest[unitEnd...]
        }
        guard total.isFinite, total < 9.2e18 else { return nil }
        return TimeSpan(nanoseconds: Int64(total.rounded()))
    }

    /// A compact form that `parse` reads back: `0s`, `250ms`, `1.5s`, `20s`, `2m`, `1h`.
    public var description: String {
        let ns = nanoseconds
        if ns == 0 { return "0s" }
        if ns % 3_600_000_000_000 == 0 { return "\(ns / 3_600_000_000_000)h" }
        if ns % 60_000_000_000 == 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns >= 1_000_000_000 { return "\(Self.trim(Double(ns) / 1e9))s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns >= 1_000_000 { return "\(Self.trim(Double(ns) / 1e6))ms" }
        if ns % 1_000 == 0 { return "\(ns / 1_000)us" }
        return "\(ns)ns"
    }

    private static func trim(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let span = TimeSpan.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a duration with a unit (ms, s, m, h)")
        }
        self = span
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
