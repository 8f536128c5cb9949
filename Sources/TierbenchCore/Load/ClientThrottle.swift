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
        /// What may go at once (the burst; at least one request for the request bucket).
        let burst: Double
        /// The most the level reaches: the burst plus the wake-up slack.
        let capacity: Double
        /// Below 0 after a request dearer than the capacity (a debt paid off by the refill).
        var level: Double
        var updatedAt: UInt64

        /// Starts at `start`; refills up to `capacity` (= start + the wake-up slack).
        init(limit: Double, start: Double, capacity: Double, now: UInt64, phase: Double = 0) {
            self.limit = limit
            self.burst = start
            self.capacity = capacity
            level = start - phase
            updatedAt = now
        }

        mutating func refill(now: UInt64, window: Double) {
            guard now > updatedAt else { return }
            level = min(capacity, level + limit * Double(now - updatedAt) / window)
            updatedAt = now
        }

        /// Nanoseconds until `cost` can be taken (0 if now): the level must reach the cost, or the burst for a
        /// request dearer than it. Bounded by one window beyond paying off the debt, so it never overflows.
        func wait(for cost: Double, window: Double) -> UInt64 {
            let missing = min(cost, burst) - level
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
    ///   - phase: 0 ≤ phase < 1: this bucket's first request waits `phase` of a request's refill time, so that N
    ///     load threads sharing a budget (phases 0, 1/N, …) send evenly spaced instead of N at a time.
    ///   - now: Monotonic ns; buckets start full.
    public init(
        requestsPerMinute: Double?, tokensPerMinute: Double?, timeScale: Double = 1, burst: Double = 0,
        followServer: Bool = false, phase: Double = 0, now: UInt64
    ) {
        let window = 60e9 / max(timeScale, 1e-9)
        self.window = window
        let share = min(max(burst, 0), 60) / 60
        // What refills while a wake-up is late (up to `wakeSlackNanos`) is kept, not lost: without it every late
        // wake-up of the load thread would lower the achieved rate below the budget.
        func bucket(_ limit: Double, start: Double, phase: Double = 0) -> Bucket {
            Bucket(
                limit: limit, start: start, capacity: start + limit * Self.wakeSlackNanos / window, now: now,
                phase: phase)
        }
        requests = requestsPerMinute.map { bucket($0, start: max(1, $0 * share), phase: min(max(phase, 0), 0.999)) }
        tokens = tokensPerMinute.map { bucket($0, start: $0 * share) }
        self.followServer = followServer
    }

    /// Budget time kept beyond the burst so that a load thread waking late does not lose it: 50 ms.
    public static let wakeSlackNanos = 50e6

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
