/// How long a synchronous job of N prompts takes at a tier: closed-loop workers, capped by the per-minute limits,
/// and — the part a short measurement never shows — by the per-day limits once a day's budget is spent.
///
/// Requests flow at `requestsPerSecond` (the smallest of what the workers sustain and RPM/TPM allow) until the
/// day's budget `D` is used up; the day buckets then refill at `D / 86,400` per second, which paces the rest
/// (the mock's RPD/TPD buckets work this way, and so does OpenAI's rolling window in the long run):
///
///     T(R) = R / r                              for R ≤ D
///     T(R) = D / r + (R − D) · 86,400 / D       for R > D
///
/// with R = ⌈N / promptsPerRequest⌉ requests.
public struct SyncJobModel: Sendable, Equatable, Codable {
    /// Requests per second the job sustains before any per-day limit bites.
    public var requestsPerSecond: Double
    /// Prompts per request (the batch size of a sync request).
    public var promptsPerRequest: Int
    /// Requests per day, if the tier limits them.
    public var requestsPerDay: Int?
    /// Tokens per day, if the tier limits them, and the tokens a request is charged.
    public var tokensPerDay: Int?
    public var tokensPerRequest: Double

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_s"
        case promptsPerRequest = "prompts_per_request"
        case requestsPerDay = "requests_per_day"
        case tokensPerDay = "tokens_per_day"
        case tokensPerRequest = "tokens_per_request"
    }

    public init(
        requestsPerSecond: Double, promptsPerRequest: Int = 1, requestsPerDay: Int? = nil, tokensPerDay: Int? = nil,
        tokensPerRequest: Double = 0
    ) {
        self.requestsPerSecond = requestsPerSecond
        self.promptsPerRequest = max(promptsPerRequest, 1)
        self.requestsPerDay = requestsPerDay
        self.tokensPerDay = tokensPerDay
        self.tokensPerRequest = tokensPerRequest
    }

    /// The rate a closed loop of `workers` sustains with `secondsPerRequest` each, capped by RPM and TPM.
    public static func sustainedRate(
        workers: Int, secondsPerRequest: Double, requestsPerMinute: Int?, tokensPerMinute: Int?,
        tokensPerRequest: Double
    ) -> Double {
        var rate = secondsPerRequest > 0 ? Double(max(workers, 1)) / secondsPerRequest : .infinity
        if let rpm = requestsPerMinute { rate = min(rate, Double(rpm) / 60) }
        if let tpm = tokensPerMinute, tokensPerRequest > 0 { rate = min(rate, Double(tpm) / 60 / tokensPerRequest) }
        return rate
    }

    /// Requests a day allows: the tighter of RPD and TPD ÷ tokens per request; nil = no daily limit.
    public var dailyRequests: Double? {
        var daily: Double?
        if let rpd = requestsPerDay { daily = Double(rpd) }
        if let tpd = tokensPerDay, tokensPerRequest > 0 {
            daily = min(daily ?? .infinity, Double(tpd) / tokensPerRequest)
        }
        return daily
    }

    /// Seconds to finish `prompts` prompts; infinity when the rate or the daily budget is zero.
    public func seconds(forPrompts prompts: Int) -> Double {
        let requests = Double(Self.ceilingDivide(max(prompts, 0), promptsPerRequest))
        guard requests > 0 else { return 0 }
        let rate = requestsPerSecond
        guard rate > 0 else { return .infinity }  // also NaN
        let unlimited = rate.isFinite ? requests / rate : 0
        guard let daily = dailyRequests else { return unlimited }
        guard daily >= 1 else { return .infinity }
        let refill = daily / 86_400
        if requests <= daily || rate <= refill { return unlimited }
        let burst = rate.isFinite ? daily / rate : 0
        return burst + (requests - daily) / refill
    }

    /// ⌈a / b⌉ for a ≥ 0, b ≥ 1, without the overflow of `(a + b − 1) / b`.
    static func ceilingDivide(_ a: Int, _ b: Int) -> Int {
        a / b + (a % b == 0 ? 0 : 1)
    }
}
