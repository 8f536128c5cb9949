import Foundation

/// When and how long to wait before retrying a failed request (`retry:` in a scenario).
///
/// Backoff is exponential with full jitter: before retry k (k = 1 for the first retry) wait a uniform time in
/// [0, min(cap, base · 2^(k−1))]. A server-given delay (`retry-after-ms`, `retry-after` in seconds or as an HTTP date,
/// and optionally `x-ratelimit-reset-*`) replaces the backoff when present, capped at `maxServerDelay`.
public struct RetryPolicy: Sendable, Equatable, Codable {
    /// Attempts in total, including the first (1 = no retries).
    public var maxAttempts: Int
    /// The first backoff's upper bound.
    public var base: TimeSpan
    /// No backoff is longer than this.
    public var cap: TimeSpan
    /// Honour `retry-after-ms` / `retry-after` headers.
    public var honorRetryAfter: Bool
    /// Also wait for `x-ratelimit-reset-requests|tokens` on a 429 without retry-after.
    public var honorRateLimitReset: Bool
    /// Longest server-given delay obeyed; longer ones are clipped to it.
    public var maxServerDelay: TimeSpan
    /// HTTP statuses that are retried (429 with `insufficient_quota` never is).
    public var statuses: Set<Int>
    /// Retry timeouts and connection failures (refused, reset, DNS).
    public var retryTransportErrors: Bool

    public init(
        maxAttempts: Int = 1, base: TimeSpan = .milliseconds(500), cap: TimeSpan = .seconds(8),
        honorRetryAfter: Bool = true, honorRateLimitReset: Bool = false, maxServerDelay: TimeSpan = .seconds(60),
        statuses: Set<Int> = RetryPolicy.defaultStatuses, retryTransportErrors: Bool = true
    ) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.honorRetryAfter = honorRetryAfter
        self.honorRateLimitReset = honorRateLimitReset
        self.maxServerDelay = maxServerDelay
        self.statuses = statuses
        self.retryTransportErrors = retryTransportErrors
    }

    /// 408, 409, 429 and every 5xx the API uses.
    public static let defaultStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504]

    /// No retries at all.
    public static let none = RetryPolicy()

    /// Whether a failure is worth retrying. `errorCode` is the API error's `code` (e.g. `insufficient_quota`).
    public func shouldRetry(status: Int, errorClass: ErrorClass, errorCode: String?) -> Bool {
        if errorCode == "insufficient_quota" || errorCode == "credit_balance_exhausted" { return false }
        if status > 0 { return statuses.contains(status) }
        switch errorClass {
        case .timeout, .connectTimeout, .connectionRefused, .connectionReset, .dns: return retryTransportErrors
        default: return false
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), in nanoseconds.
    /// - Parameters:
    ///   - serverDelay: The delay the server asked for (ns), if any.
    ///   - random: Source of the jitter.
    public func delay(beforeRetry retry: Int, serverDelay: UInt64?, random: inout SplitMix64) -> UInt64 {
        if let serverDelay, serverDelay > 0 {
            return min(serverDelay, UInt64(max(0, maxServerDelay.nanoseconds)))
        }
        return UInt64(backoffBound(beforeRetry: retry) * random.nextUnit())
    }

    /// The upper bound of the jittered backoff before retry `retry`: min(cap, base · 2^(retry−1)) in ns.
    public func backoffBound(beforeRetry retry: Int) -> Double {
        let exponent = Double(max(0, min(retry - 1, 62)))
        return min(Double(cap.nanoseconds), Double(base.nanoseconds) * pow(2, exponent))
    }

    /// The server-given delay (ns) this policy obeys from the response's headers, if any.
    public func serverDelay(from headers: RateLimitHeaders, nowUnixSeconds: Int64) -> UInt64? {
        guard honorRetryAfter || honorRateLimitReset else { return nil }
        if honorRetryAfter, let delay = headers.retryDelayNanos(nowUnixSeconds: nowUnixSeconds) { return delay }
        if honorRateLimitReset {
            let resets = [headers.resetRequestsNanos, headers.resetTokensNanos].compactMap { $0 }
            if let longest = resets.max() { return longest }
        }
        return nil
    }
}
