/// How the built-in mock behaves: latency model, capacity, rate-limit tier, faults.
///
/// Set from a scenario's `mock:` section (parsed by the scenario loader) or from `tierbench mock` flags.
/// The mock module turns it into its runtime configuration. All times are in real (unscaled) units;
/// `timeScale` compresses them at run time.
public struct MockSettings: Sendable, Equatable, Codable {
    /// Seed for every random choice the mock makes (latency samples, faults, generated text).
    public var seed: UInt64 = 1
    /// Latency model applied to models without an entry in `modelLatency`.
    public var latency = MockLatencyModel()
    /// Per-model latency models, keyed by the request's `model`.
    public var modelLatency: [String: MockLatencyModel] = [:]
    /// Concurrent generations the mock serves at once; requests beyond it queue (FIFO). nil = unlimited.
    public var capacity: Int?
    /// Rate-limit tier preset name (`free`, `tier1` … `tier5`, or a name from the selected tier set). nil = no limits.
    public var tier: String?
    /// Which preset table `tier` names: `openai` (the reference's per-model tables) or `seed002` (the user's table).
    public var tierSet: String = "openai"
    /// Explicit limits; any field set here overrides the tier preset (and applies even without a tier).
    public var limits = RateLimitOverrides()
    /// Time compression factor k ≥ 1: a per-minute limit applies per minute/k and latencies divide by k.
    /// Headers and messages still report real units.
    public var timeScale: Double = 1
    /// How full the per-minute buckets (RPM, TPM) start, as a fraction in [0, 1]. 1 = full, as OpenAI's do: the first
    /// minute of a run may then burst up to a whole minute of limit. 0 = empty: the limit applies from the first
    /// request, so a short run measures the sustained rate (what a sweep needs). Per-day buckets always start full.
    public var initialFill: Double = 1
    /// Accepted API keys. Empty means any key (or none) is accepted.
    public var apiKeys: [String] = []
    /// Reproduce real-API refusals, e.g. chat-only models on `/v1/completions` get the real 404.
    public var strict: Bool = false
    /// After a rate-limited request, correct the token bucket to the response's actual usage.
    public var correctToActualUsage: Bool = false
    /// Spend budget in USD after which every request gets 429 `insufficient_quota`. nil = unlimited.
    public var spendBudgetUSD: Double?
    /// Embedding vector length when the request gives no `dimensions`. nil = the model's default (1536/3072).
    public var embeddingDimensions: Int?
    /// Largest accepted request body in bytes; larger bodies get 413.
    public var maxBodyBytes: Int = 4 << 20
    /// Fault injection, deterministic under `seed`.
    public var faults = MockFaultSettings()
    /// Completion tokens each choice generates when the request's limit does not cut it short.
    /// nil = a deterministic length in 16...256 derived from `seed` and the prompt.
    public var outputTokens: Int?
    /// Model ids accepted besides the built-in catalog (served as chat/completions models).
    public var extraModels: [String] = []
    /// Organization id quoted in rate-limit messages and sent as `openai-organization`.
    public var organization: String = "org-tierbenchmock"
    /// A tier presets file (same format as the built-in `tiers.json`) replacing the built-in one. nil = built-in.
    public var tiersFile: String?
    /// `retry-after`/`retry-after-ms` in wall-clock time (real wait ÷ `timeScale`), so SDK retries keep pace with
    /// compressed time. false = real units like the `x-ratelimit-*` headers.
    public var scaleRetryAfter: Bool = true
    /// Longest a `hang` fault holds a request (wall clock) if the client never gives up.
    public var hangLimit: TimeSpan = .seconds(600)
    /// Requests answered on one keep-alive connection before the mock closes it (`connection: close`), like nginx's
    /// `keepalive_requests`; 0 = never. Clients reconnect transparently.
    public var keepAliveRequests: Int = 1_000
    /// Longest a connection may wait for its next request (nothing being read, no response pending) before the mock
    /// closes it.
    public var idleTimeout: TimeSpan = .seconds(60)
    /// Longest from a request's first byte to the end of its head (request line and headers); slower heads
    /// (slowloris) have their connection closed.
    public var headerTimeout: TimeSpan = .seconds(10)
    /// Longest from the end of a request's head to the end of its body; slower bodies have their connection closed.
    public var bodyTimeout: TimeSpan = .seconds(60)
    /// Largest request head (request line and headers) in bytes; larger heads get 431 and the connection is closed.
    public var maxHeaderBytes: Int = 64 << 10
    /// Connections the mock holds open at once; more are accepted and closed at once. The effective cap is also at
    /// most the process's open-file limit (`RLIMIT_NOFILE`) less 64 and 4 per event loop
    /// (`effectiveMaxConnections(openFileLimit:eventLoops:)`).
    public var maxConnections: Int = 10_000
    /// The Files and Batches APIs: the batch time model and limits.
    public var batch = MockBatchSettings()
    /// The seeded prefix-cache model behind `usage.prompt_tokens_details.cached_tokens`. nil = no cache (always 0).
    public var prefixCache: MockPrefixCacheSettings?
    /// CPU time the mock burns (busy-waits) per SSE event it writes, to overload it on purpose: tests of the
    /// self-check use it to make the mock fall behind its schedule (docs/mock.md, "Schedule lag"). nil = none.
    public var cpuBurnPerEvent: TimeSpan?

    public init() {}
}

/// A random (or fixed) duration: `constant`, `normal` or `lognormal`, with mean and standard deviation.
public struct LatencyDistribution: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case constant, normal, lognormal }
    public var kind: Kind
    /// The mean (for `constant`, the value).
    public var mean: TimeSpan
    /// The standard deviation; ignored for `constant`.
    public var stddev: TimeSpan

    public init(kind: Kind = .constant, mean: TimeSpan, stddev: TimeSpan = .zero) {
        self.kind = kind
        self.mean = mean
        self.stddev = stddev
    }

    public static func constant(_ value: TimeSpan) -> LatencyDistribution { LatencyDistribution(mean: value) }
    public static let zero = LatencyDistribution.constant(.zero)
}

/// The mock's latency model for one model.
/// Non-streaming: `base + perOutputToken × completion tokens + prefillPerToken × uncached prompt tokens`.
/// Streaming: `ttft + prefillPerToken × uncached prompt tokens` before the first content chunk, then `itl` between
/// chunks. Uncached prompt tokens are the prompt tokens less those the prefix cache holds (all of them without one).
public struct MockLatencyModel: Sendable, Equatable, Codable {
    public var base: LatencyDistribution = .zero
    public var perOutputToken: LatencyDistribution = .zero
    public var ttft: LatencyDistribution = .zero
    public var itl: LatencyDistribution = .zero
    /// Prefill time per uncached prompt token (added to TTFT and to non-streaming latency).
    public var prefillPerToken: LatencyDistribution = .zero
    public init() {}
}

/// Rate limits in real units. A nil field means "take the tier preset's value" (or no limit without a tier).
public struct RateLimitOverrides: Sendable, Equatable, Codable {
    /// Requests per minute.
    public var rpm: Int?
    /// Tokens per minute.
    public var tpm: Int?
    /// Requests per day.
    public var rpd: Int?
    /// Tokens per day.
    public var tpd: Int?
    public init(rpm: Int? = nil, tpm: Int? = nil, rpd: Int? = nil, tpd: Int? = nil) {
        self.rpm = rpm
        self.tpm = tpm
        self.rpd = rpd
        self.tpd = tpd
    }
}

/// Faults the mock injects. Rates are probabilities per request in [0, 1].
public struct MockFaultSettings: Sendable, Equatable, Codable {
    /// Probability of answering with each status instead of a result, e.g. `[500: 0.01, 503: 0.02]`.
    public var statusRates: [Int: Double] = [:]
    /// Probability of resetting the connection without a response.
    public var resetRate: Double = 0
    /// Probability of never answering (the client's timeout ends the request).
    public var hangRate: Double = 0
    /// Probability of delaying the first byte by `slowFirstByteDelay`.
    public var slowFirstByteRate: Double = 0
    public var slowFirstByteDelay: TimeSpan = .seconds(1)
    /// Probability of cutting a stream short (no final chunk, no `[DONE]`).
    public var truncateStreamRate: Double = 0
    /// Probability of sending a 200 whose body is not valid JSON.
    public var malformedJSONRate: Double = 0
    /// Timed windows, e.g. 30 s of 503s from t = 60 s (t counted from the mock's start).
    public var schedule: [MockFaultWindow] = []
    public init() {}

    /// Whether the mock is asked to answer some requests with a status `FailFastRule` treats as hopeless (a 4xx
    /// but 408, 409, 429): a run that injects them on purpose must not be stopped for them.
    public var injectsHopelessStatuses: Bool {
        let hopeless = { (status: Int) in (400..<500).contains(status) && ![408, 409, 429].contains(status) }
        return statusRates.contains { hopeless($0.key) && $0.value > 0 }
            || schedule.contains { if case .status(let status) = $0.action { hopeless(status) } else { false } }
    }
}

/// A window of time in which every request gets `status` (or, for `freeze`, waits until the window ends).
public struct MockFaultWindow: Sendable, Equatable, Codable {
    public enum Action: Sendable, Equatable, Codable {
        /// Answer every request with this HTTP status.
        case status(Int)
        /// Hold every request until the window ends (a server freeze / GC pause).
        case freeze
    }
    public var start: TimeSpan
    public var duration: TimeSpan
    public var action: Action
    public init(start: TimeSpan, duration: TimeSpan, action: Action) {
        self.start = start
        self.duration = duration
        self.action = action
    }
}
