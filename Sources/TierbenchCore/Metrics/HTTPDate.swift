/// HTTP-dates in the IMF-fixdate form RFC 9110 requires senders to use: `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    private static let months: [StaticString] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// Unix seconds of an IMF-fixdate, or nil when `text` is not one.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            return parse(bytes, 0..<bytes.count)
        }
    }

    /// Unix seconds of the IMF-fixdate in `range` (the weekday is optional and not checked).
    static func parse(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        if let comma = bytes[range].firstIndex(of: JSONBytes.comma) { index = comma + 1 }
        // "DD Mon YYYY HH:MM:SS GMT"
        while index < range.upperBound && bytes[index] == 0x20 { index += 1 }
        guard range.upperBound - index >= 24 else { return nil }
        guard let day = ByteNumber.integer(bytes, index..<(index + 2)),
              let month = month(bytes, (index + 3)..<(index + 6)),
              let year = ByteNumber.integer(bytes, (index + 7)..<(index + 11)),
              let hour = ByteNumber.integer(bytes, (index + 12)..<(index + 14)),
              let minute = ByteNumber.integer(bytes, (index + 15)..<(index + 17)),
              let second = ByteNumber.integer(bytes, (index + 18)..<(index + 20)),
              bytes[index + 2] == 0x20, bytes[index + 6] == 0x20, bytes[index + 11] == 0x20,
              bytes[index + 14] == JSONBytes.colon, bytes[index + 17] == JSONBytes.colon,
              JSONBytes.equals(bytes, (index + 20)..<(index + 24), " GMT"),
              (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = UTCTimestamp.daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// Month number 1…12 of a three-letter English abbreviation, any case.
    private static func month(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        for (offset, name) in months.enumerated() {
            let expected = name.utf8Start
            var matches = true
            for position in 0..<3 where bytes[range.lowerBound + position] | 0x20 != expected[position] {
                matches = false
            }
            if matches { return offset + 1 }
        }
        return nil
    }
}
