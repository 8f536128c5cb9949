/// ISO-8601 UTC timestamps (`2026-11-22T21:56:01.123Z`) computed by hand, so the hot path and the pure core
/// need no formatter, locale or time-zone database.
public enum UTCTimestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a Unix time in ns (milliseconds truncated; times before 1970 allowed).
    /// - Parameter fractionDigits: digits after the seconds, 0…9 (0 omits the dot).
    public static func iso8601(unixNanos: Int64, fractionDigits: Int = 3) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30)
        append(unixNanos: unixNanos, fractionDigits: fractionDigits, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO-8601 form of `unixNanos` to `buffer`; see `iso8601(unixNanos:fractionDigits:)`.
    public static func append(unixNanos: Int64, fractionDigits: Int = 3, to buffer: inout [UInt8]) {
        let seconds = unixNanos >= 0 ? unixNanos / 1_000_000_000 : (unixNanos - 999_999_999) / 1_000_000_000
        let nanos = unixNanos - seconds * 1_000_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        appendDigits(year, width: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3_600, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &buffer)
        let digits = min(max(fractionDigits, 0), 9)
        if digits > 0 {
            buffer.append(UInt8(ascii: "."))
            var divisor = 1
            for _ in digits..<9 { divisor *= 10 }
            appendDigits(Int(nanos) / divisor, width: digits, to: &buffer)
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    /// Appends `value` (≥ 0) in decimal, left-padded with zeros to `width` digits.
    static func appendDigits(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        var length = 1
        while value / divisor >= 10 {
            divisor *= 10
            length += 1
        }
        for _ in length..<max(width, length) { buffer.append(UInt8(ascii: "0")) }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
