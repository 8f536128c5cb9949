/// The whole outcome of a sweep: the shape of `sweep.json`.
///
/// Every rate is in real units; when the sweep ran against a time-compressed mock, `time_scale` says by how much
/// and `time_scale_note` says so in words.
public struct SweepResult: Sendable, Equatable, Codable {
    /// One curve and its knee analysis.
    public struct CurveAnalysis: Sendable, Equatable, Codable {
        public var key: SweepCurve.Key
        public var analysis: KneeAnalysis
        /// Refinement points this curve received after the coarse grid.
        public var refinedWorkers: [Int]

        public init(key: SweepCurve.Key, analysis: KneeAnalysis, refinedWorkers: [Int] = []) {
            self.key = key
            self.analysis = analysis
            self.refinedWorkers = refinedWorkers
        }

        enum CodingKeys: String, CodingKey {
            case key, analysis
            case refinedWorkers = "refined_workers"
        }
    }

    /// Format version of sweep.json.
    public static let formatVersion = 1

    public var format: Int
    public var spec: SweepSpec
    /// The mock's time compression factor k the points ran under (1 = real time). Rates here are already real.
    public var timeScale: Double
    /// A sentence on the time scale, e.g. "measured at time_scale 60 against the mock; rates in real units".
    public var timeScaleNote: String
    public var points: [SweepPoint]
    public var curves: [CurveAnalysis]
    public var comparison: TierComparison
    /// Per tier label (or "label/model" when the sweep has several models).
    public var recommendation: [String: SweepRecommendation]

    public init(
        spec: SweepSpec, timeScale: Double, points: [SweepPoint], curves: [CurveAnalysis],
        comparison: TierComparison, recommendation: [String: SweepRecommendation]
    ) {
        self.format = Self.formatVersion
        self.spec = spec
        self.timeScale = timeScale
        self.timeScaleNote = Self.note(timeScale: timeScale, tiers: spec.tiers)
        self.points = points
        self.curves = curves
        self.comparison = comparison
        self.recommendation = recommendation
    }

    /// Analyses `points` (already in real units) and assembles the result.
    /// - Parameters:
    ///   - spec: The sweep as run.
    ///   - timeScale: The mock's time scale k (1 for real targets).
    ///   - points: Every finished point, grid and refinement, in run order.
    ///   - refinedWorkers: Refinement points per curve, for the record.
    ///   - prices: List prices per model, used when a point has no cost of its own (`SweepFigures.costUSD`).
    ///   - limits: Published limits per (tier, model) where known, for the projection's per-day pacing.
    public static func build(
        spec: SweepSpec, timeScale: Double, points: [SweepPoint],
        refinedWorkers: [SweepCurve.Key: [Int]] = [:], prices: [String: TokenPrice] = [:],
        limits: [TierComparison.TierModel: TierLimits] = [:]
    ) -> SweepResult {
        let options = KneeOptions(spec: spec)
        let analysed = SweepGrid.curves(points.map(\.result)).map { curve in
            (curve: curve, analysis: KneeAnalysis(curve: curve, options: options))
        }
        let comparison = TierComparison.build(
            curves: analysed, promptsToProcess: spec.promptsToProcess, prices: prices, limits: limits)
        let severalModels = Set(comparison.rows.map(\.model)).count > 1
        var recommendation: [String: SweepRecommendation] = [:]
        for row in comparison.rows {
            recommendation[severalModels ? "\(row.tier)/\(row.model)" : row.tier] = SweepRecommendation(row: row)
        }
        return SweepResult(
            spec: spec, timeScale: timeScale, points: points,
            curves: analysed.map {
                CurveAnalysis(
                    key: $0.curve.key, analysis: $0.analysis, refinedWorkers: refinedWorkers[$0.curve.key] ?? [])
            },
            comparison: comparison, recommendation: recommendation)
    }

    /// The sentence stored in `time_scale_note`; tiers with their own `time_scale` are listed with it.
    public static func note(timeScale: Double, tiers: [SweepTier] = []) -> String {
        let own = tiers.compactMap { tier in tier.timeScale.map { "\(tier.label) \(SweepFormat.number($0))" } }
        if own.isEmpty {
            return SweepTimeScale.isScaled(timeScale)
                ? "measured against the mock at time_scale \(SweepFormat.number(timeScale)) "
                    + "(time ran \(SweepFormat.number(timeScale))x faster); all rates, latencies and durations are "
                    + "converted to real units"
                : "measured in real time"
        }
        let others = tiers.contains { $0.isMock && $0.timeScale == nil }
            ? ", other tiers \(SweepFormat.number(timeScale))" : ""
        return "measured against the mock with time compressed per tier (time_scale: \(own.joined(separator: ", "))"
            + "\(others)); all rates, latencies and durations are converted to real units"
    }

    enum CodingKeys: String, CodingKey {
        case format, spec
        case timeScale = "time_scale"
        case timeScaleNote = "time_scale_note"
        case points, curves, comparison, recommendation
    }
}
