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
        ByteWriter.append(to: &buffer, capacity: 40) { write(unixNanos: unixNanos, fractionDigits: fractionDigits, to: &$0) }
    }

    /// Writes the ISO-8601 form of `unixNanos` (at most 36 bytes).
    static func write(unixNanos: Int64, fractionDigits: Int, to writer: inout ByteWriter) {
        let seconds = unixNanos >= 0 ? unixNanos / 1_000_000_000 : (unixNanos - 999_999_999) / 1_000_000_000
        let nanos = unixNanos - seconds * 1_000_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = UInt64(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        writer.writeDigits(UInt64(clamping: year), width: 4)
        writer.write(UInt8(ascii: "-"))
        writer.writeDigits(UInt64(month), width: 2)
        writer.write(UInt8(ascii: "-"))
        writer.writeDigits(UInt64(day), width: 2)
        writer.write(UInt8(ascii: "T"))
        writer.writeDigits(secondOfDay / 3_600, width: 2)
        writer.write(UInt8(ascii: ":"))
        writer.writeDigits(secondOfDay / 60 % 60, width: 2)
        writer.write(UInt8(ascii: ":"))
        writer.writeDigits(secondOfDay % 60, width: 2)
        let digits = min(max(fractionDigits, 0), 9)
        if digits > 0 {
            writer.write(UInt8(ascii: "."))
            var divisor: Int64 = 1
            for _ in digits..<9 { divisor *= 10 }
            writer.writeDigits(UInt64(nanos / divisor), width: digits)
        }
        writer.write(UInt8(ascii: "Z"))
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
