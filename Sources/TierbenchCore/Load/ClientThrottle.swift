/// A client-side budget of requests and tokens per minute (`throttle:` in a scenario), so a run can stay
/// "just under the tier".
///
/// Two continuously refilling buckets: refill = limit / 60 s, capacity = the budget of `burst` seconds (at least one
/// request). With the default burst of 0 the throttle paces from the first request: 450 RPM admits one request,
/// then one every 133 ms, never a minute's worth at once. A request costs 1 request and
/// `prompt tokens + n × max_tokens` tokens (the estimate OpenAI's own parallel processor uses); a request costing
/// more tokens than the capacity waits for a full bucket and leaves it in debt, so the long-run rate stays the limit. When `followServer` is set, the server's `x-ratelimit-remaining-*` headers lower the buckets to
/// what the server says is left.
public struct ClientThrottle: Sendable {
    /// A bucket's level and limit; level refills at limit per `window`.
    private struct Bucket: Sendable {
        /// Refill per `window`.
        let limit: Double
        /// The most the level reaches.
        let capacity: Double
        /// Below 0 after a request dearer than the capacity (a debt paid off by the refill).
        var level: Double
        var updatedAt: UInt64

        init(limit: Double, capacity: Double, now: UInt64) {
            self.limit = limit
            self.capacity = capacity
            level = capacity
            updatedAt = now
        }

        mutating func refill(now: UInt64, window: Double) {
            guard now > updatedAt else { return }
            level = min(capacity, level + limit * Double(now - updatedAt) / window)
            updatedAt = now
        }

        /// Nanoseconds until `cost` can be taken (0 if now): the level must reach the cost, or the capacity for a
        /// request dearer than it. Bounded by one window beyond paying off the debt, so it never overflows.
        func wait(for cost: Double, window: Double) -> UInt64 {
            let missing = min(cost, capacity) - level
            guard missing > 0 else { return 0 }
            return UInt64(min((missing / limit * window).rounded(.up), 1e18))
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
    ///   - burst: Seconds of budget that may go at once (0 … 60): the buckets' capacity. 0 paces from the start.
    ///   - followServer: Lower the buckets to the server's `x-ratelimit-remaining-*`.
    ///   - now: Monotonic ns; buckets start full.
    public init(
        requestsPerMinute: Double?, tokensPerMinute: Double?, timeScale: Double = 1, burst: Double = 0,
        followServer: Bool = false, now: UInt64
    ) {
        window = 60e9 / max(timeScale, 1e-9)
        let share = min(max(burst, 0), 60) / 60
        requests = requestsPerMinute.map { Bucket(limit: $0, capacity: max(1, $0 * share), now: now) }
        tokens = tokensPerMinute.map { Bucket(limit: $0, capacity: $0 * share, now: now) }
        self.followServer = followServer
    }

    /// Whether any budget is set.
    public var isActive: Bool { requests != nil || tokens != nil }

    /// Takes one request costing `tokenCost` tokens if the budgets allow it now; otherwise returns the ns to wait.
    /// - Returns: 0 when the request was admitted (budgets charged), else the wait before trying again.
    public mutating func admit(tokenCost: Double, now: UInt64) -> UInt64 {
        requests?.refill(now: now, window: window)
        tokens?.refill(now: now, window: window)
        let cost = max(0, tokenCost)
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
