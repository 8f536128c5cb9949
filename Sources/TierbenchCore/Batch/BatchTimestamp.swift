/// A batch's `*_at` stamp (Unix seconds from the server) as text, safe for any value the server sends.
///
/// A stamp in milliseconds (`1754566945000`) or any figure beyond ±9.2 × 10^9 s does not fit in Int64 nanoseconds;
/// it is shown as the raw number with a note instead of trapping on the multiplication.
public enum BatchTimestamp {
    /// ISO-8601 UTC (whole seconds) of `unixSeconds`, or `<n> (not Unix seconds)` when it cannot be one.
    public static func text(unixSeconds: Int) -> String {
        let (nanos, overflow) = Int64(unixSeconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return "\(unixSeconds) (not Unix seconds)" }
        return UTCTimestamp.iso8601(unixNanos: nanos, fractionDigits: 0)
    }
}
