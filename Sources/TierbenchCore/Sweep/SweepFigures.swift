/// The measured figures of one run (or the median of a point's runs) that the sweep analysis needs,
/// independent of the run summary's layout. Rates are per second of the measured window (warmup excluded).
///
/// All rates, latencies and durations are in real units; a run against a time-scaled mock is converted with
/// `SweepTimeScale` before it gets here.
public struct SweepFigures: Sendable, Equatable, Codable {
    /// Completed attempts per second, every outcome counted.
    public var requestsPerSecond: Double
    /// Successful (2xx) requests per second.
    public var successfulRequestsPerSecond: Double
    /// Prompts answered per second: successful requests × prompts per request.
    public var promptsPerSecond: Double
    /// Tokens (prompt + completion) of successful responses per second.
    public var tokensPerSecond: Double
    /// Prompt (input) tokens of successful responses per second.
    public var inputTokensPerSecond: Double
    /// Completion (output) tokens of successful responses per second.
    public var outputTokensPerSecond: Double
    /// Successful requests per second that finished within the SLO (all successes without an SLO).
    public var goodputRequestsPerSecond: Double
    /// Tokens per second of successful requests that finished within the SLO.
    public var goodputTokensPerSecond: Double
    /// Failed attempts ÷ attempts, 429s and retried attempts included (a fraction in [0, 1]).
    public var errorRatePerAttempt: Double
    /// Requests whose final outcome (after any retries) failed ÷ requests (a fraction in [0, 1]).
    public var errorRateFinal: Double
    /// Attempts answered with 429 ÷ attempts (a fraction in [0, 1]).
    public var rate429: Double
    /// Latency percentiles of all attempts, in milliseconds.
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double
    /// Cost of the measured window in USD (from usage and list prices); nil when unknown.
    public var costUSD: Double?
    /// Length of the measured window in seconds.
    public var durationSeconds: Double

    public init(
        requestsPerSecond: Double, successfulRequestsPerSecond: Double, promptsPerSecond: Double,
        tokensPerSecond: Double, inputTokensPerSecond: Double = 0, outputTokensPerSecond: Double = 0,
        goodputRequestsPerSecond: Double, goodputTokensPerSecond: Double,
        errorRatePerAttempt: Double, errorRateFinal: Double, rate429: Double,
        p50Ms: Double, p95Ms: Double, p99Ms: Double, costUSD: Double? = nil, durationSeconds: Double
    ) {
        self.requestsPerSecond = requestsPerSecond
        self.successfulRequestsPerSecond = successfulRequestsPerSecond
        self.promptsPerSecond = promptsPerSecond
        self.tokensPerSecond = tokensPerSecond
        self.inputTokensPerSecond = inputTokensPerSecond
        self.outputTokensPerSecond = outputTokensPerSecond
        self.goodputRequestsPerSecond = goodputRequestsPerSecond
        self.goodputTokensPerSecond = goodputTokensPerSecond
        self.errorRatePerAttempt = errorRatePerAttempt
        self.errorRateFinal = errorRateFinal
        self.rate429 = rate429
        self.p50Ms = p50Ms
        self.p95Ms = p95Ms
        self.p99Ms = p99Ms
        self.costUSD = costUSD
        self.durationSeconds = durationSeconds
    }

    /// Goodput per second in `unit`: requests or tokens.
    public func goodput(_ unit: SweepSpec.GoodputUnit) -> Double {
        unit == .requests ? goodputRequestsPerSecond : goodputTokensPerSecond
    }

    /// Goodput in prompts per second: good requests × prompts per request.
    public func goodputPromptsPerSecond(batchSize: Int) -> Double {
        goodputRequestsPerSecond * Double(batchSize)
    }

    /// Cost per second of measured time in USD, from `costUSD`; nil when unknown or the window is empty.
    public var costPerSecondUSD: Double? {
        guard let costUSD, durationSeconds > 0 else { return nil }
        return costUSD / durationSeconds
    }

    /// Every always-present figure with its snake_case name, in CSV column order.
    /// (A computed property: key paths are not Sendable, so no stored static table.)
    public static var namedFigures: [(name: String, keyPath: WritableKeyPath<SweepFigures, Double>)] {
        [
            ("requests_per_s", \.requestsPerSecond),
            ("successful_requests_per_s", \.successfulRequestsPerSecond),
            ("prompts_per_s", \.promptsPerSecond),
            ("tokens_per_s", \.tokensPerSecond),
            ("input_tokens_per_s", \.inputTokensPerSecond),
            ("output_tokens_per_s", \.outputTokensPerSecond),
            ("goodput_requests_per_s", \.goodputRequestsPerSecond),
            ("goodput_tokens_per_s", \.goodputTokensPerSecond),
            ("error_rate_per_attempt", \.errorRatePerAttempt),
            ("error_rate_final", \.errorRateFinal),
            ("rate_429", \.rate429),
            ("p50_ms", \.p50Ms),
            ("p95_ms", \.p95Ms),
            ("p99_ms", \.p99Ms),
            ("duration_s", \.durationSeconds),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_s"
        case successfulRequestsPerSecond = "successful_requests_per_s"
        case promptsPerSecond = "prompts_per_s"
        case tokensPerSecond = "tokens_per_s"
        case inputTokensPerSecond = "input_tokens_per_s"
        case outputTokensPerSecond = "output_tokens_per_s"
        case goodputRequestsPerSecond = "goodput_requests_per_s"
        case goodputTokensPerSecond = "goodput_tokens_per_s"
        case errorRatePerAttempt = "error_rate_per_attempt"
        case errorRateFinal = "error_rate_final"
        case rate429 = "rate_429"
        case p50Ms = "p50_ms"
        case p95Ms = "p95_ms"
        case p99Ms = "p99_ms"
        case costUSD = "cost_usd"
        case durationSeconds = "duration_s"
    }
}
