/// The rate-limit and retry headers of one response, as `ResponseHeaderScanner` fills them.
///
/// Header reference (OpenAI): `x-ratelimit-limit-requests|tokens`, `x-ratelimit-remaining-requests|tokens`,
/// `x-ratelimit-reset-requests|tokens` (Go durations such as `6m0s`, `913ms`), `retry-after` (delta-seconds or an
/// HTTP-date), `retry-after-ms`, the project-token variants and `x-should-retry`. A nil field means the header was absent or unreadable.
public struct RateLimitHeaders: Sendable, Hashable {
    /// `retry-after` given as delta-seconds (may be fractional).
    public var retryAfterSeconds: Double?
    /// `retry-after` given as an HTTP-date, in Unix seconds.
    public var retryAfterDate: Int64?
    /// `retry-after-ms` (milliseconds, may be fractional).
    public var retryAfterMilliseconds: Double?
    /// `x-ratelimit-limit-requests`: requests allowed per window.
    public var limitRequests: Int?
    /// `x-ratelimit-limit-tokens`: tokens allowed per window.
    public var limitTokens: Int?
    /// `x-ratelimit-remaining-requests`.
    public var remainingRequests: Int?
    /// `x-ratelimit-remaining-tokens`.
    public var remainingTokens: Int?
    /// `x-ratelimit-reset-requests` in ns: time until the request budget is full again.
    public var resetRequestsNanos: UInt64?
    /// `x-ratelimit-reset-tokens` in ns: time until the token budget is full again.
    public var resetTokensNanos: UInt64?
    /// `x-ratelimit-limit-project-tokens`, `-remaining-project-tokens`, `-reset-project-tokens` (ns): a
    /// project-scoped token limit, sent only when one applies.
    public var limitProjectTokens: Int?
    public var remainingProjectTokens: Int?
    public var resetProjectTokensNanos: UInt64?
    /// `x-should-retry: true|false`: the server's explicit retry advice (the SDKs obey it).
    public var shouldRetry: Bool?

    public init() {}

    /// Whether no header was recognised.
    public var isEmpty: Bool { self == RateLimitHeaders() }

    /// How long the server asked the client to wait, in ns: `retry-after-ms` first, then `retry-after`.
    ///
    /// - Parameter nowUnixSeconds: the current wall-clock time, used only for an HTTP-date `retry-after`.
    /// - Returns: the wait (0 for a date in the past), or nil when neither header was given.
    public func retryDelayNanos(nowUnixSeconds: Int64) -> UInt64? {
        if let milliseconds = retryAfterMilliseconds { return Self.nanos(seconds: milliseconds / 1_000) }
        if let seconds = retryAfterSeconds { return Self.nanos(seconds: seconds) }
        if let date = retryAfterDate { return Self.nanos(seconds: Double(date) - Double(nowUnixSeconds)) }
        return nil
    }

    private static func nanos(seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(min(seconds * 1e9, 1.8e19).rounded())
    }
}
