/// When a run starts sending (`--start-at`): a wall-clock instant, from ISO-8601 UTC (`2026-12-05T18:30:00Z`,
/// fractional seconds allowed) or relative to now (`+10s`, for scripts that start every shard at once).
public struct ShardStartTime: Sendable, Equatable {
    /// Unix time in nanoseconds.
    public var unixNanos: Int64

    /// The longest a run waits for its start time: a later time is refused (it is almost certainly a typo).
    public static let maxAheadNanos: Int64 = 86_400_000_000_000

    public init(unixNanos: Int64) {
        self.unixNanos = unixNanos
    }

    /// The time as ISO-8601 UTC, with milliseconds (nanoseconds when it has them).
    public var iso8601: String {
        UTCTimestamp.iso8601(unixNanos: unixNanos, fractionDigits: unixNanos % 1_000_000 == 0 ? 3 : 9)
    }

    /// Parses `--start-at`.
    /// - Parameter nowUnixNanos: The wall clock now, for `+DURATION` and the 24-hour bound.
    public static func parse(_ text: String, nowUnixNanos: Int64, name: String = "--start-at") throws(ShardError)
        -> ShardStartTime
    {
        let usage = "\(name) needs an ISO-8601 UTC time such as 2026-12-05T18:30:00Z (fractional seconds allowed) "
            + "or a delay from now such as +10s"
        let instant: Int64
        if text.hasPrefix("+") {
            guard let delay = TimeSpan.parse(String(text.dropFirst())), delay.nanoseconds >= 0 else {
                throw ShardError("\(usage); got '\(text)'")
            }
            guard delay.nanoseconds <= maxAheadNanos else {
                throw ShardError("\(name): '\(text)' is more than 24 hours ahead; give a nearer start time")
            }
            instant = nowUnixNanos &+ delay.nanoseconds
        } else {
            guard let (seconds, nanos) = civilTime(iso8601: text) else { throw ShardError("\(usage); got '\(text)'") }
            let scaled = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            let sum = scaled.partialValue.addingReportingOverflow(nanos)
            guard !scaled.overflow, !sum.overflow else {
                throw ShardError("\(name): '\(text)' is after 2262-04-11T23:47:16Z, the last time 64-bit Unix "
                    + "nanoseconds can hold; give a nearer start time (or +DURATION)")
            }
            let parsed = sum.partialValue
            guard parsed <= nowUnixNanos &+ maxAheadNanos else {
                throw ShardError("\(name): '\(text)' is more than 24 hours ahead; give a nearer start time")
            }
            instant = parsed
        }
        return ShardStartTime(unixNanos: instant)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (years 1970–9999, no leap seconds) as Unix seconds and the nanoseconds of
    /// the fraction; nil when malformed. (Seconds, not nanoseconds: years after 2262 overflow Int64 nanoseconds.)
    static func civilTime(iso8601 text: String) -> (seconds: Int64, nanos: Int64)? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") || bytes.last == UInt8(ascii: "z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        func at(_ i: Int, _ character: Character) -> Bool { bytes[i] == character.asciiValue }
        guard at(4, "-"), at(7, "-"), at(10, "T") || at(10, "t"), at(13, ":"), at(16, ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1970...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60,
            (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var nanos = 0
        let last = bytes.count - 1
        if last > 19 {
            // A fraction: a dot and 1–9 digits.
            let digits = last - 20
            guard at(19, "."), (1...9).contains(digits), let fraction = number(20..<last) else { return nil }
            nanos = fraction
            for _ in digits..<9 { nanos *= 10 }
        }
        let days = UTCTimestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return (seconds, Int64(nanos))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
