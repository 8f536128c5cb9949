/// The sweep's answer per tier: sustained throughput, the recommended workers and batch size, latency, errors,
/// cost per hour, and what processing N prompts takes — plus a Batch API line per model for comparison.
public struct TierComparison: Sendable, Equatable, Codable {
    /// One tier (and model).
    public struct Row: Sendable, Equatable, Codable {
        public var tier: String
        public var model: String
        /// The analysis outcome of the chosen curve.
        public var outcome: KneeAnalysis.Outcome
        /// Recommended workers and batch size; nil when no setting qualifies.
        public var maxWorkers: Int?
        public var batchSize: Int?
        /// Open-loop rate of the chosen curve (requests per second); nil = closed loop.
        public var rate: Double?
        /// Sustained successful requests and tokens per minute: the plateau of the chosen curve, or the best
        /// measured value when the curve has no knee (then a lower bound, `plateauReached` false).
        public var maxRequestsPerMinute: Double?
        public var maxTokensPerMinute: Double?
        public var plateauReached: Bool
        /// Figures at the recommendation.
        public var goodputPromptsPerSecond: Double?
        public var promptsPerSecond: Double?
        public var p95Ms: Double?
        public var errorRatePerAttempt: Double?
        /// USD per hour at the recommended throughput.
        public var costPerHourUSD: Double?
        /// Seconds and USD to process `promptsToProcess` prompts at the recommendation: at the measured rate, and
        /// once the tier's requests or tokens per day are spent, at the day budget's pace (`SyncJobModel`).
        public var wallSecondsForPrompts: Double?
        /// Set when a per-day limit paces the projection, e.g. "RPD 10,000: 40,000 of the requests wait for later
        /// days"; nil when the measured rate alone decides.
        public var dailyLimitNote: String?
        public var costForPromptsUSD: Double?
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case tier, model, outcome
            case maxWorkers = "max_workers"
            case batchSize = "batch_size"
            case rate
            case maxRequestsPerMinute = "max_requests_per_min"
            case maxTokensPerMinute = "max_tokens_per_min"
            case plateauReached = "plateau_reached"
            case goodputPromptsPerSecond = "goodput_prompts_per_s"
            case promptsPerSecond = "prompts_per_s"
            case p95Ms = "p95_ms"
            case errorRatePerAttempt = "error_rate_per_attempt"
            case costPerHourUSD = "cost_per_hour_usd"
            case wallSecondsForPrompts = "wall_seconds_for_prompts"
            case costForPromptsUSD = "cost_for_prompts_usd"
            case dailyLimitNote = "daily_limit_note"
            case reason
        }
    }

    /// A (tier label, model) pair, for the limits a projection knows.
    public struct TierModel: Sendable, Hashable {
        public var tier: String
        public var model: String
        public init(tier: String, model: String) {
            self.tier = tier
            self.model = model
        }
    }

    /// The Batch API alternative for one model: half the synchronous price, done within 24 h, no sync limits.
    public struct BatchAPILine: Sendable, Equatable, Codable {
        public var model: String
        /// USD for `promptsToProcess` prompts via the Batch API (50% of the synchronous cost); nil if unknown.
        public var costForPromptsUSD: Double?
        /// The Batch API's completion window in hours.
        public var completionWindowHours: Double
        public var note: String

        enum CodingKeys: String, CodingKey {
            case model
            case costForPromptsUSD = "cost_for_prompts_usd"
            case completionWindowHours = "completion_window_hours"
            case note
        }
    }

    /// N, the prompts the projection is for.
    public var promptsToProcess: Int
    public var rows: [Row]
    public var batchAPI: [BatchAPILine]

    public init(promptsToProcess: Int, rows: [Row], batchAPI: [BatchAPILine]) {
        self.promptsToProcess = promptsToProcess
        self.rows = rows
        self.batchAPI = batchAPI
    }

    /// Goodputs within this fraction of each other count as a tie (measurement noise); the earlier curve wins.
    /// 5%, the resolution the knee analysis itself works at (`KneeOptions.plateauFraction` 0.95 and
    /// `growthTolerance` 0.05): with 3%, two runs of the quickstart sweep picked different batch sizes for the same
    /// tier at the same TPM, on differences of 3.05% and 4%.
    public static let tieTolerance = 0.05

    /// Builds the comparison from analysed curves: per (tier, model), the curve whose recommendation has the most
    /// goodput in prompts per second (ties within `tieTolerance`: the earlier curve, i.e. the smaller batch).
    /// - Parameters:
    ///   - curves: The sweep's curves with their analyses.
    ///   - promptsToProcess: N for the projection.
    ///   - prices: List prices per model, for points without a cost of their own: a point's `costUSD` (its runs'
    ///     usage at the run's prices, cached prompt tokens at the cached price) is preferred when present.
    ///   - limits: Each tier's published limits per model where known (mock presets): their per-day limits pace
    ///     the projection once a day's budget is spent, which a short sweep point never shows.
    public static func build(
        curves: [(curve: SweepCurve, analysis: KneeAnalysis)], promptsToProcess: Int, prices: [String: TokenPrice],
        limits: [TierModel: TierLimits] = [:]
    ) -> TierComparison {
        var order: [String] = []
        var groups: [String: [(curve: SweepCurve, analysis: KneeAnalysis)]] = [:]
        for entry in curves {
            let group = entry.curve.key.tier + "\u{1F}" + entry.curve.key.model
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(entry)
        }
        let rows = order.compactMap { group -> Row? in
            guard let entries = groups[group], let first = entries.first else { return nil }
            let key = TierModel(tier: first.curve.key.tier, model: first.curve.key.model)
            return row(
                for: entries, fallback: first, promptsToProcess: promptsToProcess, prices: prices, limits: limits[key])
        }
        var models: [String] = []
        for row in rows where !models.contains(row.model) { models.append(row.model) }
        let batchLines = models.map { model in
            let syncCost = rows.first { $0.model == model && $0.costForPromptsUSD != nil }?.costForPromptsUSD
            return BatchAPILine(
                model: model, costForPromptsUSD: syncCost.map { $0 * TokenPrice.batchDiscountFactor },
                completionWindowHours: 24,
                note: "50% of the synchronous price, completes within 24 h, no synchronous rate limit")
        }
        return TierComparison(promptsToProcess: promptsToProcess, rows: rows, batchAPI: batchLines)
    }

    private static func row(
        for entries: [(curve: SweepCurve, analysis: KneeAnalysis)],
        fallback: (curve: SweepCurve, analysis: KneeAnalysis), promptsToProcess: Int, prices: [String: TokenPrice],
        limits: TierLimits?
    ) -> Row {
        var best: (curve: SweepCurve, analysis: KneeAnalysis, point: SweepPointResult, goodput: Double)?
        for entry in entries {
            guard let point = entry.analysis.recommendedPoint(in: entry.curve) else { continue }
            let goodput = point.figures.goodputPromptsPerSecond(batchSize: entry.curve.key.batchSize)
            if best.map({ goodput > $0.goodput * (1 + tieTolerance) }) ?? true {
                best = (entry.curve, entry.analysis, point, goodput)
            }
        }
        guard let best else {
            return Row(
                tier: fallback.curve.key.tier, model: fallback.curve.key.model, outcome: fallback.analysis.outcome,
                plateauReached: false, reason: fallback.analysis.reason)
        }
        let figures = best.point.figures
        let plateauReached = best.analysis.plateau != nil
        let xs = best.curve.points.map { Double($0.settings.maxWorkers) }
        func sustained(_ values: [Double]) -> Double? {
            plateauReached ? PlateauFit.fit(xs: xs, ys: values)?.plateau : values.max()
        }
        // The point's own cost first: it prices cached prompt tokens, which the token rates cannot tell apart.
        let costPerSecond =
            figures.costPerSecondUSD
            ?? prices[best.curve.key.model].map {
                $0.costPerSecond(
                    inputTokensPerSecond: figures.inputTokensPerSecond,
                    outputTokensPerSecond: figures.outputTokensPerSecond)
            }
        let promptsPerSecond = figures.promptsPerSecond
        let batchSize = max(best.curve.key.batchSize, 1)
        let requestsPerSecond = promptsPerSecond / Double(batchSize)
        let sync = SyncJobModel(
            requestsPerSecond: requestsPerSecond, promptsPerRequest: batchSize,
            requestsPerDay: limits?.requestsPerDay, tokensPerDay: limits?.tokensPerDay,
            tokensPerRequest: requestsPerSecond > 0 ? figures.tokensPerSecond / requestsPerSecond : 0)
        let projected = sync.seconds(forPrompts: promptsToProcess)
        let wall = promptsPerSecond > 0 && projected.isFinite ? projected : nil
        let dailyLimitNote = Self.dailyLimitNote(sync, prompts: promptsToProcess)
        // Cost follows the prompts, not the calendar: days of waiting for a day budget cost nothing.
        let activeSeconds: Double? = promptsPerSecond > 0 ? Double(promptsToProcess) / promptsPerSecond : nil
        let costForPrompts: Double? = costPerSecond.flatMap { cost in activeSeconds.map { cost * $0 } }
        let requestsPerMinute = sustained(best.curve.points.map(\.figures.successfulRequestsPerSecond)).map { $0 * 60 }
        let tokensPerMinute = sustained(best.curve.points.map(\.figures.tokensPerSecond)).map { $0 * 60 }
        return Row(
            tier: best.curve.key.tier, model: best.curve.key.model, outcome: best.analysis.outcome,
            maxWorkers: best.analysis.recommendedWorkers, batchSize: best.curve.key.batchSize,
            rate: best.curve.key.rate,
            maxRequestsPerMinute: requestsPerMinute, maxTokensPerMinute: tokensPerMinute,
            plateauReached: plateauReached, goodputPromptsPerSecond: best.goodput, promptsPerSecond: promptsPerSecond,
            p95Ms: figures.p95Ms, errorRatePerAttempt: figures.errorRatePerAttempt,
            costPerHourUSD: costPerSecond.map { $0 * 3600 },
            wallSecondsForPrompts: wall,
            dailyLimitNote: dailyLimitNote, costForPromptsUSD: costForPrompts,
            reason: best.analysis.reason)
    }

    /// "RPD 10,000: 40,000 requests wait for later days", when a per-day limit paces the job.
    static func dailyLimitNote(_ sync: SyncJobModel, prompts: Int) -> String? {
        guard let daily = sync.dailyRequests else { return nil }
        let requests = SyncJobModel.ceilingDivide(max(prompts, 0), sync.promptsPerRequest)
        guard Double(requests) > daily else { return nil }
        let waiting = requests - Int(daily.rounded(.down))
        let limit: String
        if let rpd = sync.requestsPerDay, Double(rpd) == daily {
            limit = "RPD " + BatchError.grouped(rpd)
        } else {
            limit = "TPD " + BatchError.grouped(sync.tokensPerDay ?? 0)
        }
        return limit + ": " + BatchError.grouped(waiting) + " requests wait for later days"
    }
}
