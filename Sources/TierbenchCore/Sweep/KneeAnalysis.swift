/// The knee analysis of one curve (fixed tier, model, batch size and rate; workers ascending): where goodput
/// levels off, where errors and latency pass their limits, and the worker count to recommend.
///
/// Definitions (docs/sweep.md): the plateau is the mean of the plateau segment of a two-segment fit
/// (`PlateauFit`); the throughput knee is the smallest setting reaching `plateauFraction` (95%) of it; the error
/// knee is the first setting whose error rate exceeds the threshold; the latency knee the first whose p95 exceeds
/// the SLO; the recommendation is the throughput knee, or the largest setting below the error and latency knees
/// when they come first. A curve still growing at its largest setting has no knee, and none is invented.
public struct KneeAnalysis: Sendable, Equatable, Codable {
    /// What the analysis concluded.
    public enum Outcome: String, Sendable, Equatable, Codable {
        /// Goodput levels off inside the grid; the recommendation is at or below the throughput knee.
        case knee
        /// Goodput still grows at the largest setting: the grid ends before the knee.
        case noKneeInGrid = "no_knee_in_grid"
        /// Even the smallest setting's error rate exceeds the threshold. When the smallest setting already reaches
        /// the goodput plateau (a rate limit below one worker's demand), it is recommended; otherwise nothing is.
        case everySettingErrors = "every_setting_errors"
        /// Even the smallest setting's p95 exceeds the SLO.
        case everySettingMissesSLO = "every_setting_misses_slo"
        /// Fewer points than `KneeOptions.minimumPoints`.
        case tooFewPoints = "too_few_points"
    }

    public var key: SweepCurve.Key
    public var outcome: Outcome
    /// The curve's worker counts, ascending.
    public var workers: [Int]
    /// Goodput plateau per second in the goodput unit; nil without a knee.
    public var plateau: Double?
    /// First worker count on the fitted plateau; nil without a knee.
    public var plateauStartWorkers: Int?
    /// Smallest worker count reaching `plateauFraction` of the plateau; nil without a knee.
    public var throughputKneeWorkers: Int?
    /// Kneedle's knee (cross-check); nil when Kneedle finds none.
    public var kneedleWorkers: Int?
    /// First worker count whose error rate per attempt (429s included) exceeds the threshold.
    public var errorKneeAttemptWorkers: Int?
    /// First worker count whose final-outcome error rate exceeds the threshold.
    public var errorKneeFinalWorkers: Int?
    /// First worker count whose p95 exceeds the SLO; nil without an SLO or when none does.
    public var latencyKneeWorkers: Int?
    /// The worker count to use; nil when no setting qualifies or there are too few points.
    public var recommendedWorkers: Int?
    /// Why, in one or two sentences.
    public var reason: String

    /// When the smallest setting's failures are mostly 429s, the share of the plateau it must reach to be
    /// recommended: a rate limit binding at one worker makes every setting deliver the limit, and a short point
    /// of a slow tier (a few dozen requests) scatters by more than the 5% `plateauFraction` allows.
    public static let rateLimitedShare = 0.8

    /// Analyses `curve` under `options`.
    public init(curve: SweepCurve, options: KneeOptions) {
        let points = curve.points
        let xs = points.map { Double($0.settings.maxWorkers) }
        let measured = points.map { $0.figures.goodput(options.goodput) }
        let ys = Self.attainable(measured)
        let errorAttempt = points.firstIndex { $0.figures.errorRatePerAttempt > options.errorThreshold }
        let errorFinal = points.firstIndex { $0.figures.errorRateFinal > options.errorThreshold }
        let latency = options.sloP95Ms.flatMap { slo in points.firstIndex { $0.figures.p95Ms > slo } }
        let counts = curve.workers
        key = curve.key
        workers = counts
        errorKneeAttemptWorkers = errorAttempt.map { counts[$0] }
        errorKneeFinalWorkers = errorFinal.map { counts[$0] }
        latencyKneeWorkers = latency.map { counts[$0] }
        kneedleWorkers = Kneedle.kneeIndex(xs: xs, ys: ys).map { counts[$0] }
        let unit = options.goodput == .requests ? "req/s" : "tokens/s"
        let limit = min(errorAttempt ?? points.count, latency ?? points.count)
        let limitText = Self.limitText(points: points, errorAt: errorAttempt, latencyAt: latency, options: options)

        guard points.count >= options.minimumPoints else {
            outcome = .tooFewPoints
            reason = "only \(points.count) setting(s) measured; a knee needs at least \(options.minimumPoints)"
            return
        }
        let last = points.count - 1
        let fit = PlateauFit.fit(xs: xs, ys: ys)
        let plateauValue = fit?.plateau ?? 0
        guard limit > 0 else {
            if errorAttempt == 0 {
                outcome = .everySettingErrors
                let failing = "already at \(counts[0]) worker(s) "
                    + "\(SweepFormat.percent(points[0].figures.errorRatePerAttempt)) of attempts fail, "
                    + "\(SweepFormat.percent(points[0].figures.rate429)) with 429 "
                    + "(threshold \(SweepFormat.percent(options.errorThreshold)))"
                let first = points[0].figures
                let rateLimited = first.rate429 >= 0.5 * first.errorRatePerAttempt
                if plateauValue > 0, ys[0] >= options.plateauFraction * plateauValue
                    || (rateLimited && ys[0] >= Self.rateLimitedShare * plateauValue)
                {
                    // The limit is reached by the smallest setting: it already delivers the plateau, so it is the
                    // setting to use (more workers only add rejected attempts). When its failures are mostly 429s
                    // the limit is binding there, so a lower share (`rateLimitedShare`) is measurement noise.
                    plateau = plateauValue
                    plateauStartWorkers = counts[0]
                    throughputKneeWorkers = counts[0]
                    recommendedWorkers = counts[0]
                    reason = "the limit is reached by the smallest setting: \(failing), and \(counts[0]) worker(s) "
                        + "already deliver the plateau (\(SweepFormat.number(plateauValue)) \(unit)); use "
                        + "\(counts[0]) worker(s) with retries, throttle to the limit, or a higher tier"
                } else {
                    reason = "every setting fails: \(failing); lower the load or raise the tier"
                }
            } else {
                outcome = .everySettingMissesSLO
                reason = "every setting misses the SLO: already at \(counts[0]) worker(s) p95 is "
                    + "\(SweepFormat.number(points[0].figures.p95Ms)) ms "
                    + "(SLO \(SweepFormat.number(options.sloP95Ms ?? 0)) ms)"
            }
            return
        }
        let knee = ys.firstIndex { $0 >= options.plateauFraction * plateauValue } ?? last
        let best = ys[0..<last].indices.max { ys[$0] < ys[$1] } ?? 0
        let bestBefore = ys[best]
        let growth = bestBefore > 0 ? ys[last] / bestBefore - 1 : .infinity
        let tolerance = Swift.max(options.growthTolerance, Self.countingResolution(points[best].figures))
        if knee == last || growth > tolerance || plateauValue <= 0 {
            outcome = .noKneeInGrid
            let bestWithin = Self.bestMeasured(measured, below: limit)
            recommendedWorkers = counts[bestWithin]
            let growthText = growth.isFinite ? "+\(SweepFormat.percent(growth))" : "up from nothing"
            let grows = "goodput still grows at the largest setting (\(counts[last]) workers, \(growthText) over the best "
                + "smaller setting)"
            if limit < points.count {
                // A limit inside the grid: more workers would only pass it further, so extending is no advice.
                reason = "no knee in the grid: \(grows), but the limits are passed first, so more workers would not "
                    + "help; use \(counts[bestWithin]), the best measured setting within them" + limitText
            } else {
                reason = "no knee in the grid: \(grows); extend max_workers beyond \(counts[last]). "
                    + "Best measured setting within limits: \(counts[bestWithin])" + limitText
            }
            return
        }
        outcome = .knee
        plateau = plateauValue
        plateauStartWorkers = fit.map { counts[$0.plateauStart] }
        throughputKneeWorkers = counts[knee]
        // Below the limits, the best setting actually measured: with a goodput that fell somewhere, the largest
        // setting within the limits need not be the best one.
        let chosen = knee < limit ? knee : Self.bestMeasured(measured, below: limit)
        recommendedWorkers = counts[chosen]
        let share = SweepFormat.percent(measured[chosen] / plateauValue)
        let plateauText = "\(SweepFormat.number(plateauValue)) \(unit)"
        if chosen == knee {
            reason = "\(counts[chosen]) workers reach \(share) of the goodput plateau (\(plateauText)); "
                + "more workers add no throughput" + limitText
        } else {
            reason = "\(counts[chosen]) workers is the best measured setting below the limits, at \(share) of the "
                + "goodput plateau (\(plateauText), reached at \(counts[knee]) workers)" + limitText
        }
    }

    /// The goodput attainable with at most each worker count: the running maximum of the measured curve. Past a
    /// saturation point goodput within an SLO falls (queueing pushes requests past it) and a rate-limited tier
    /// delivers less as 429s and retries crowd it; the user can always run fewer workers, so a fall is the plateau
    /// of what is attainable, never "growth of −100%".
    static func attainable(_ measured: [Double]) -> [Double] {
        var best = 0.0
        return measured.map { value in
            best = Swift.max(best, value.isFinite ? value : 0)
            return best
        }
    }

    /// The index of the highest measured goodput among the first `limit` points (the first of equals).
    static func bestMeasured(_ measured: [Double], below limit: Int) -> Int {
        var best = 0
        for index in 0..<max(1, min(limit, measured.count)) where measured[index] > measured[best] { best = index }
        return best
    }

    /// The smallest relative growth over `figures` that counting can resolve: 2 ÷ successful requests measured.
    /// A window's count of a steady stream is off by up to one request at each end, so two points at the same
    /// rate can differ by two requests; a short point of a slow tier (a dozen requests) otherwise reads one
    /// request of window quantization as "still growing". Zero when nothing succeeded (any growth then counts).
    static func countingResolution(_ figures: SweepFigures) -> Double {
        let successes = (figures.successfulRequestsPerSecond * figures.durationSeconds).rounded()
        return successes > 0 ? 2 / successes : 0
    }

    /// The measured point at the recommendation, looked up in `curve`.
    public func recommendedPoint(in curve: SweepCurve) -> SweepPointResult? {
        guard let recommendedWorkers else { return nil }
        return curve.points.first { $0.settings.maxWorkers == recommendedWorkers }
    }

    /// "; the error rate passes 1% at 16 workers (25.0% of attempts, 24.0% 429s)" and the same for latency.
    private static func limitText(
        points: [SweepPointResult], errorAt: Int?, latencyAt: Int?, options: KneeOptions
    ) -> String {
        var text = ""
        if let errorAt {
            let figures = points[errorAt].figures
            text += "; the error rate passes \(SweepFormat.percent(options.errorThreshold)) at "
                + "\(points[errorAt].settings.maxWorkers) workers (\(SweepFormat.percent(figures.errorRatePerAttempt)) "
                + "of attempts failed, \(SweepFormat.percent(figures.rate429)) were 429s)"
        }
        if let latencyAt, let slo = options.sloP95Ms {
            text += "; p95 passes the \(SweepFormat.number(slo)) ms SLO at \(points[latencyAt].settings.maxWorkers) "
                + "workers (\(SweepFormat.number(points[latencyAt].figures.p95Ms)) ms)"
        }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case key, outcome, workers, plateau
        case plateauStartWorkers = "plateau_start"
        case throughputKneeWorkers = "throughput_knee"
        case kneedleWorkers = "kneedle_knee"
        case errorKneeAttemptWorkers = "error_knee"
        case errorKneeFinalWorkers = "error_knee_final"
        case latencyKneeWorkers = "latency_knee"
        case recommendedWorkers = "recommended_workers"
        case reason
    }
}
