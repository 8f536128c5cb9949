/// One metric compared between a baseline and a new result.
public struct MetricComparison: Sendable, Hashable {
    /// The outcome for this metric.
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// Worse than the baseline by more than the tolerance (and significant, when runs were repeated).
        case regression
        /// Better than the baseline by more than the tolerance (and significant, when runs were repeated).
        case improvement
        /// Within the tolerance.
        case unchanged
        /// Repeated runs differ, but not more than run-to-run noise explains (Mann-Whitney p ≥ α).
        case noSignificantChange = "no_significant_change"
        /// A size or setting (requests sent, tokens, counters that scale with run length): shown, never flagged.
        case informational
    }

    /// Dotted path of the metric; sweep points are prefixed with their curve, e.g. `tier2/b1/w8.p95_ms`.
    public var metric: String
    /// Which way is better.
    public var direction: MetricTraits.Direction
    /// The metric's unit, for display.
    public var unit: MetricTraits.Unit
    /// Every baseline and new value (one per run; a single element without repetitions).
    public var baseSamples: [Double]
    public var newSamples: [Double]
    /// Median of each side (the value itself without repetitions).
    public var base: Double
    public var new: Double
    /// (new − base) / |base|; nil when the base is 0.
    public var relativeChange: Double?
    /// Two-sided Mann-Whitney U p-value, when both sides have at least two runs.
    public var pValue: Double?
    /// Bootstrap 95% interval of the relative median change, when both sides have at least two runs.
    public var interval: BootstrapInterval?
    public var verdict: Verdict
    /// Why the verdict was reached, for people: "p = 0.008 (Mann-Whitney, 5 vs 5 runs)".
    public var note: String

    /// Whether the new value is worse than the base in the metric's direction (regardless of size).
    public var isWorse: Bool {
        switch direction {
        case .lowerIsBetter: return new > base
        case .higherIsBetter: return new < base
        case .neutral: return false
        }
    }
}
