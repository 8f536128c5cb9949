/// A client-side budget of requests and tokens per minute (`throttle:` in a scenario), so a run can stay
/// "just under the tier".
///
/// Two continuously refilling buckets, like the server's: capacity = the per-minute limit, refill = limit / 60 s.
/// A request costs 1 request and `prompt tokens + n × max_tokens` tokens (the estimate OpenAI's own parallel
/// processor uses). When `followServer` is set, the server's `x-ratelimit-remaining-*` headers lower the buckets to
/// what the server says is left.
public struct ClientThrottle: Sendable {
    /// A bucket's level and limit; level refills at limit per `window`.
    private struct Bucket: Sendable {
        let limit: Double
        var level: Double
        var updatedAt: UInt64

        mutating func refill(now: UInt64, window: Double) {
            guard now > updatedAt else { return }
            level = min(limit, level + limit * Double(now - updatedAt) / window)
            updatedAt = now
        }

        /// Nanoseconds until `cost` fits (0 if it fits now).
        func wait(for cost: Double, window: Double) -> UInt64 {
            let missing = cost - level
            guard missing > 0 else { return 0 }
            return UInt64((missing / limit * window).rounded(.up))
        }
    }

    private var requests: Bucket?
    private var tokens: Bucket?
    private let followServer: Bool
    /// The refill window in ns (60 s, divided by the mock's time scale when it compresses time).
    private let window: Double

    /// - Parameters:
    ///   - requestsPerMinute: Request budget per minute; nil = unlimited.
    ///   - tokensPerMinute: Token budget per minute; nil = unlimited.
    ///   - timeScale: Divide the minute by this (for a time-compressed mock); 1 for real time.
    ///   - followServer: Lower the buckets to the server's `x-ratelimit-remaining-*`.
    ///   - now: Monotonic ns; buckets start full.
    public init(
        requestsPerMinute: Double?, tokensPerMinute: Double?, timeScale: Double = 1, followServer: Bool = false,
        now: UInt64
    ) {
        window = 60e9 / max(timeScale, 1e-9)
        requests = requestsPerMinute.map { Bucket(limit: $0, level: $0, updatedAt: now) }
        tokens = tokensPerMinute.map { Bucket(limit: $0, level: $0, updatedAt: now) }
        self.followServer = followServer
    }

    /// Whether any budget is set.
    public var isActive: Bool { requests != nil || tokens != nil }

    /// Takes one request costing `tokenCost` tokens if the budgets allow it now; otherwise returns the ns to wait.
    /// - Returns: 0 when the request was admitted (budgets charged), else the wait before trying again.
    public mutating func admit(tokenCost: Double, now: UInt64) -> UInt64 {
        requests?.refill(now: now, window: window)
        tokens?.refill(now: now, window: window)
        let cost = min(tokenCost, tokens?.limit ?? tokenCost)
        let wait = max(requests?.wait(for: 1, window: window) ?? 0, tokens?.wait(for: cost, window: window) ?? 0)
        guard wait == 0 else { return wait }
        requests?.level -= 1
        tokens?.level -= cost
        return 0
    }

    /// Lowers the buckets to what the server reports as remaining (never raises them).
    public mutating func observe(_ headers: RateLimitHeaders, now: UInt64) {
        guard followServer else { return }
        if let remaining = headers.remainingRequests, var bucket = requests {
            bucket.refill(now: now, window: window)
            bucket.level = min(bucket.level, Double(remaining))
            requests = bucket
        }
        if let remaining = headers.remainingTokens, var bucket = tokens {
            bucket.refill(now: now, window: window)
            bucket.level = min(bucket.level, Double(remaining))
            tokens = bucket
        }
    }
}
