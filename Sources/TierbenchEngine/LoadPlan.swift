import TierbenchCore
import TierbenchCurl

/// Everything a load thread needs, resolved up front so the per-request path only indexes arrays.
struct LoadPlan: Sendable {
    /// How requests are started.
    enum Model: Sendable {
        /// `workers` concurrent requests; each worker sends its next request when its last one ends. With a
        /// `ramp`, the number of active workers follows it over time (its "rate" is a worker count).
        case closed(workers: Int, ramp: RateProfile?)
        /// `size` requests sent together; the next wave starts `pause` ns after the whole wave has finished.
        case waves(size: Int, pause: UInt64)
        /// Requests sent at intended times from an arrival schedule, at most `maxInFlight` at once; a request that
        /// finds no free slot waits and is sent late (its response time still counts from the intended time).
        case open(profile: RateProfile, arrival: ArrivalProcess, seed: UInt64, maxInFlight: Int)
        /// Trace replay: request i is intended at `offsets[i]` (ns since the run's start, non-decreasing) and sends
        /// body i; otherwise like the open loop.
        case trace(offsets: [UInt64], maxInFlight: Int)
    }

    /// Distinct request bodies, ready to send; request number i uses `requests[i % requests.count]`.
    var requests: [PreparedRequest]
    /// Prompts carried by each entry of `requests`.
    var promptsPerRequest: [Int]
    /// Estimated prompt tokens of each entry (about 4 characters per token).
    var estimatedPromptTokens: [Int]
    /// Token cost of each entry for the client throttle: prompt estimate + n × max_tokens.
    var tokenCost: [Double]
    var model: Model
    /// Stop starting new requests after this long (ns since the run's start); nil = no time limit.
    var durationNanos: UInt64?
    /// Stop after this many requests in total (warmup included); nil = no count limit.
    var requestLimit: Int?
    /// Requests intended before this time (ns since the run's start) are excluded from statistics.
    var warmupNanos: UInt64
    /// Whether responses are server-sent event streams (TTFT/ITL are measured).
    var stream: Bool
    /// When and how failed requests are retried.
    var retry: RetryPolicy = .none
    /// Client-side request and token budgets; nil = none.
    var throttle: ThrottlePlan?
    /// Stop the run when its first requests all fail hopelessly (`FailFastRule`); off when the mock injects such
    /// failures on purpose.
    var failFast = true
    /// The curl options (timeouts, HTTP version).
    var curlOptions: CurlLoopOptions
    /// Largest response body kept in memory for inspection (bytes); the rest is counted, not kept.
    var bodyInspectionLimit: Int = 1 << 20
    /// Seed for retry jitter.
    var seed: UInt64 = 1
    /// List prices of the scenario's model (USD per 1M tokens); nil when the price table has none.
    var price: PriceTable.ModelPrice?
    /// Estimated cost (USD) of each entry of `requests`: prompt estimate × input + n × max_tokens × output.
    var costEstimate: [Double] = []
    /// `budget.max_usd`, shared by every load thread; nil = no limit.
    var budget: SpendBudget?
    /// Hides the API key (and secret-looking header values) in every server text the run stores or prints.
    var redactor: SecretRedactor = .none
    /// This run's slice of a sharded plan (`.whole` when unsharded): request number k of this shard is the plan's
    /// global request `shard.global(k)`, which picks the body; an open loop keeps its share of the global schedule.
    var shard: ShardSlice = .whole
    /// Whether an open loop's schedule starts at the run's origin rather than the first tick (`--start-at`: every
    /// shard's time 0 is the same wall-clock instant).
    var anchoredSchedule = false
    /// With `sessions:`: the conversations' plan; each request is then a turn built at send time (SessionDriver).
    var sessions: SessionPlan?

    /// What `usage` costs in USD at `price` (0 without a price or usage); see `PriceTable.ModelPrice.usd`.
    func cost(of usage: TokenUsage?) -> Double {
        guard let usage, let price else { return 0 }
        return price.usd(usage)
    }

    /// Slots (concurrent transfers) the plan needs in all.
    var slotCount: Int {
        switch model {
        case .closed(let workers, _): return workers
        case .waves(let size, _): return size
        case .open(_, _, _, let maxInFlight): return maxInFlight
        case .trace(_, let maxInFlight): return maxInFlight
        }
    }

    /// A short name for summaries: `closed`, `waves`, `open` or `trace`; `sessions_users` or `sessions_open` with
    /// sessions.
    var modelName: String {
        if sessions != nil { return isScheduled ? "sessions_open" : "sessions_users" }
        switch model {
        case .closed: return "closed"
        case .waves: return "waves"
        case .open: return "open"
        case .trace: return "trace"
        }
    }

    /// Whether sends follow intended times (open loop, trace) rather than free workers.
    var isScheduled: Bool {
        switch model {
        case .open, .trace: return true
        case .closed, .waves: return false
        }
    }

    /// The mean target rate in requests/s for an open loop with a constant rate; nil otherwise (and with sessions,
    /// whose rate is of sessions, not requests).
    var targetRate: Double? {
        guard sessions == nil else { return nil }
        if case .open(let profile, _, _, _) = model { return profile.rate(at: 0) }
        return nil
    }
}

/// Client-side budgets (`throttle:`): requests and tokens per minute, in real units.
struct ThrottlePlan: Sendable {
    var requestsPerMinute: Double?
    var tokensPerMinute: Double?
    /// The mock's time compression (budgets apply per minute / scale); 1 for real targets.
    var timeScale: Double
    /// How much of the budget may go at once, as a span of the budget's time (0: pace from the first request).
    var burst: TimeSpan
    /// Lower the budgets to the server's `x-ratelimit-remaining-*`.
    var followServer: Bool
}
