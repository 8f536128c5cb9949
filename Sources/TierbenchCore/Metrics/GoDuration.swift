/// Go's `time.Duration` text, as OpenAI's `x-ratelimit-reset-*` headers send it: `6m0s`, `913ms`, `1h4m48s`,
/// `19m45.394s`, `7.66s`, `0s`. Units: `h`, `m`, `s`, `ms`, `us`/`µs`, `ns`; a bare `0` is zero.
public enum GoDuration {
    /// Formats `seconds` as the mock's headers and 429 messages send it (`0s`, `2ms`, `913ms`, `1.146s`, `6m0s`,
    /// `19m45.394s`, `1h4m48s`), truncated (not rounded) to whole milliseconds.
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        return format(milliseconds: Int64(min(seconds * 1000, 9e15)))
    }

    /// Formats a whole number of milliseconds.
    public static func format(milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let seconds = milliseconds / 1000 % 60
        let fraction = milliseconds % 1000
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        text += "\(seconds)"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "s"
    }

    /// The duration in ns, or nil when `text` is not a Go duration.
    public static func parse(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            return parse(bytes, 0..<bytes.count)
        }
    }

    /// The duration in ns of the bytes in `range`, or nil when they are not a Go duration.
    static func parse(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty else { return nil }
        if range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "0") { return 0 }
        var index = range.lowerBound
        var total: Double = 0
        while index < range.upperBound {
            guard let (number, numberEnd) = ByteNumber.leadingDecimal(bytes, index..<range.upperBound) else {
                return nil
            }
            guard let (scale, unitEnd) = unit(bytes, numberEnd..<range.upperBound) else { return nil }
            total += number * scale
            index = unitEnd
        }
        guard total.isFinite, total < 1.8e19 else { return nil }
        return UInt64(total.rounded())
    }

    /// The unit at the start of `range`: its length in ns and the index after it.
    private static func unit(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> (Double, Int)? {
        guard let first = range.first else { return nil }
        let second: UInt8? = range.count > 1 ? bytes[first + 1] : nil
        let s = UInt8(ascii: "s")
        switch bytes[first] {
        case UInt8(ascii: "h"): return (3_600e9, first + 1)
        case UInt8(ascii: "m"): return second == s ? (1e6, first + 2) : (60e9, first + 1)
        case s: return (1e9, first + 1)
        case UInt8(ascii: "n") where second == s: return (1, first + 2)
        case UInt8(ascii: "u") where second == s: return (1e3, first + 2)
        case 0xC2 where second == 0xB5 && range.count > 2 && bytes[first + 2] == s: return (1e3, first + 3)  // µs
        default: return nil
        }
    }
}
