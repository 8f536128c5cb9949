/// The result of comparing a baseline with a new result: one `MetricComparison` per shared metric.
public struct ComparisonReport: Sendable, Hashable {
    /// Shared metrics in the order they appear in the new result.
    public var metrics: [MetricComparison]
    /// Allowed relative change in the bad direction, e.g. 0.1 for 10%.
    public var tolerance: Double
    /// Significance level for repeated runs, e.g. 0.05.
    public var alpha: Double
    /// Runs on each side (1 without repetitions).
    public var baseRuns: Int
    public var newRuns: Int
    /// Metrics present on only one side (not compared).
    public var onlyInBase: [String]
    public var onlyInNew: [String]

    /// True when any metric regressed: `tierbench compare` then exits 3.
    public var hasRegression: Bool { metrics.contains { $0.verdict == .regression } }
    /// The regressed metrics.
    public var regressions: [MetricComparison] { metrics.filter { $0.verdict == .regression } }
    /// The improved metrics.
    public var improvements: [MetricComparison] { metrics.filter { $0.verdict == .improvement } }

    /// The compared metrics worth showing first: the key summary figures and everything flagged, in order.
    public var keyMetrics: [MetricComparison] {
        metrics.filter { Comparison.keyMetricPaths.contains(stripPointPrefix($0.metric)) || $0.verdict == .regression
            || $0.verdict == .improvement }
    }

    /// One line: `2 regressions, 1 improvement, 14 unchanged (tolerance 10%, 5 vs 5 runs)`.
    public var headline: String {
        let noise = metrics.filter { $0.verdict == .noSignificantChange }.count
        let unchanged = metrics.filter { $0.verdict == .unchanged }.count
        var parts: [String] = []
        parts.append(plural(regressions.count, "regression"))
        parts.append(plural(improvements.count, "improvement"))
        parts.append("\(unchanged) unchanged")
        if noise > 0 { parts.append("\(noise) with no significant change") }
        let runs = baseRuns > 1 || newRuns > 1 ? ", \(baseRuns) vs \(newRuns) runs" : ""
        return parts.joined(separator: ", ") + " (tolerance \(ReportNumber.percent(tolerance, decimals: 1))\(runs))"
    }

    private func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

    private func stripPointPrefix(_ metric: String) -> String {
        guard let slash = metric.lastIndex(of: "/"), let dot = metric[slash...].firstIndex(of: ".") else {
            return metric
        }
        return String(metric[metric.index(after: dot)...])
    }
}
