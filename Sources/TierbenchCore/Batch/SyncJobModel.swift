/// How long a synchronous job of N prompts takes at a tier: what the workers sustain, bounded by every rate-limit
/// bucket — and, the part a short measurement never shows, by the per-day limits once a day's budget is spent.
///
/// Each limit is a bucket that starts with `burst` requests available and refills at `perSecond` (OpenAI's
/// limits and the mock's GCRA buckets work this way: RPM/TPM start full by default, RPD/TPD always). By time t at
/// most `burst + perSecond · t` requests can have been answered, and at most `workerRate · t`, so R requests take
///
///     T(R) = max( R / workerRate,  max over limits of (R − burst) / perSecond )
///
/// with R = ⌈N / promptsPerRequest⌉. For tier 1 (500 RPM, 10,000 RPD) and fast workers, 50,000 prompts take
/// (50,000 − 10,000) · 86,400 / 10,000 s = 4 days, not the 100 minutes the RPM alone suggests.
public struct SyncJobModel: Sendable, Equatable, Codable {
    /// One rate-limit bucket, in requests.
    public struct Limit: Sendable, Equatable, Codable {
        /// `RPM`, `TPM`, `RPD` or `TPD`.
        public var name: String
        /// Requests available at the start.
        public var burst: Double
        /// Requests the bucket refills per second.
        public var perSecond: Double

        public init(name: String, burst: Double, perSecond: Double) {
            self.name = name
            self.burst = burst
            self.perSecond = perSecond
        }

        enum CodingKeys: String, CodingKey {
            case name, burst
            case perSecond = "per_second"
        }
    }

    /// Requests per second the workers sustain with no limit in the way (infinity = not the bottleneck).
    public var workerRate: Double
    /// Prompts per request (the batch size of a sync request).
    public var promptsPerRequest: Int
    public var limits: [Limit]

    enum CodingKeys: String, CodingKey {
        case workerRate = "worker_rate_per_s"
        case promptsPerRequest = "prompts_per_request"
        case limits
    }

    public init(workerRate: Double, promptsPerRequest: Int = 1, limits: [Limit] = []) {
        self.workerRate = workerRate
        self.promptsPerRequest = max(promptsPerRequest, 1)
        self.limits = limits
    }

    /// The buckets of a tier's published limits for requests charged `tokensPerRequest` tokens each.
    /// - Parameter minuteFill: how full the per-minute buckets start (the mock's `initial_fill`; OpenAI: 1).
    public static func limits(
        _ tier: TierLimits, tokensPerRequest: Double, minuteFill: Double = 1
    ) -> [Limit] {
        var limits: [Limit] = []
        let fill = minuteFill.isFinite ? min(max(minuteFill, 0), 1) : 1
        if let rpm = tier.requestsPerMinute {
            limits.append(Limit(name: "RPM", burst: Double(rpm) * fill, perSecond: Double(rpm) / 60))
        }
        if let rpd = tier.requestsPerDay {
            limits.append(Limit(name: "RPD", burst: Double(rpd), perSecond: Double(rpd) / 86_400))
        }
        if tokensPerRequest > 0 {
            if let tpm = tier.tokensPerMinute {
                let requests = Double(tpm) / tokensPerRequest
                limits.append(Limit(name: "TPM", burst: requests * fill, perSecond: requests / 60))
            }
            if let tpd = tier.tokensPerDay {
                let requests = Double(tpd) / tokensPerRequest
                limits.append(Limit(name: "TPD", burst: requests, perSecond: requests / 86_400))
            }
        }
        return limits
    }

    /// Seconds to finish `prompts` prompts; infinity when nothing can flow.
    public func seconds(forPrompts prompts: Int) -> Double {
        let requests = Double(Self.ceilingDivide(max(prompts, 0), promptsPerRequest))
        guard requests > 0 else { return 0 }
        guard workerRate > 0 else { return .infinity }  // also NaN
        var seconds = workerRate.isFinite ? requests / workerRate : 0
        for limit in limits where requests > limit.burst {
            guard limit.perSecond > 0, limit.perSecond.isFinite else { return .infinity }
            seconds = max(seconds, (requests - limit.burst) / limit.perSecond)
        }
        return seconds
    }

    /// The limit that sets the time for `prompts` prompts, when one does (the workers otherwise).
    public func bindingLimit(forPrompts prompts: Int) -> Limit? {
        let requests = Double(Self.ceilingDivide(max(prompts, 0), promptsPerRequest))
        let workers = workerRate > 0 && workerRate.isFinite ? requests / workerRate : 0
        var best: (limit: Limit, seconds: Double)?
        for limit in limits where requests > limit.burst && limit.perSecond > 0 {
            let seconds = (requests - limit.burst) / limit.perSecond
            if seconds > workers && seconds > (best?.seconds ?? 0) { best = (limit, seconds) }
        }
        return best?.limit
    }

    /// ⌈a / b⌉ for a ≥ 0, b ≥ 1, without the overflow of `(a + b − 1) / b`.
    public static func ceilingDivide(_ a: Int, _ b: Int) -> Int {
        a / b + (a % b == 0 ? 0 : 1)
    }
}
