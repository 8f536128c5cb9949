/// Durations formatted like Go's `time.Duration.String()` after truncation to milliseconds, as OpenAI's
/// `x-ratelimit-reset-*` headers and 429 messages show them: `0s`, `2ms`, `913ms`, `1s`, `1.146s`, `6m0s`,
/// `7m12s`, `19m45.394s`, `1h4m48s`.
enum GoDuration {
    /// Formats `seconds`, truncated (not rounded) to whole milliseconds.
    static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        return format(milliseconds: Int64(min(seconds * 1000, 9e15)))
    }

    /// Formats a whole number of milliseconds.
    static func format(milliseconds: Int64) -> String {
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
}
