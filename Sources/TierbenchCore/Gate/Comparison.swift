/// Compares a baseline with a new result: `tierbench compare BASE NEW` and `--baseline FILE --max-regression 10%`.
///
/// Either side may be one summary (summary.json), an array of summaries (repetitions of one configuration), an
/// object with a `runs` array of summaries, or a sweep (an object with `points`; each point is compared by its
/// figures, per repetition when the point keeps them, and the recommendation is compared as information).
///
/// Decision per shared metric, with `tolerance` t (0.1 = 10%) and significance level α:
/// - only the headline figures are gated (`headlinePaths`: latency, TTFT and ITL percentiles, throughput of
///   successes, the error rate, cost per 1,000 requests; a sweep point's p50/p95/p99, goodput and final error rate)
///   plus any path named in `gated`; every other shared metric (counters, means, stddev, phase timings, 429 shares)
///   is `informational`, so each change is counted once, under its headline name;
/// - with at least two runs on both sides: Mann-Whitney U two-sided p. p ≥ α → `no_significant_change`;
///   p < α and the median moved by more than t in the bad direction → `regression` (good direction →
///   `improvement`), otherwise `unchanged`. When the sample sizes cannot reach p < α (e.g. 3 vs 3 runs) the
///   medians are compared with the tolerance alone and the note says so;
/// - otherwise: the values (medians) are compared with the tolerance alone.
/// A change must also exceed its unit's absolute floor (`absoluteFloor`: 1 ms of latency, 0.5 percentage points
/// of an error rate, 0.01 per second), below which run-to-run noise and the histograms' resolution dominate; from
/// a base of 0 the floor alone decides, since a relative change from 0 is undefined.
public enum Comparison {
    /// The figures shown first in reports.
    public static let keyMetricPaths: Set<String> = [
        "error_rate", "throughput.requests_per_s", "throughput.succeeded_per_s", "throughput.tokens_per_s",
        "latency_ms.p50", "latency_ms.p90", "latency_ms.p95", "latency_ms.p99", "latency_ms.p999", "latency_ms.max",
        "latency_ms.mean", "response_time_ms.p95", "response_time_ms.p99", "ttft_ms.p50", "ttft_ms.p95",
        "requests_per_s", "goodput_requests_per_s", "tokens_per_s", "error_rate_final", "error_rate_per_attempt",
        "rate_429", "p50_ms", "p95_ms", "p99_ms",
    ]

    /// The figures a comparison gates on by default (a sweep point's are matched without their point prefix).
    public static let headlinePaths: Set<String> = [
        "error_rate", "throughput.succeeded_per_s",
        "latency_ms.p50", "latency_ms.p90", "latency_ms.p95", "latency_ms.p99",
        "ttft_ms.p50", "ttft_ms.p95", "ttft_ms.p99", "itl_ms.p50", "itl_ms.p95", "itl_ms.p99",
        "cost.per_1000_requests_usd",
        "p50_ms", "p95_ms", "p99_ms", "goodput_requests_per_s", "error_rate_final",
    ]

    /// Whether `path` is gated: a headline figure, or named in `gated` (whole path or metric name).
    public static func isGated(_ path: String, gated: Set<String>) -> Bool {
        let name = metricName(path)
        return headlinePaths.contains(name) || gated.contains(path) || gated.contains(name)
    }

    /// The smallest absolute change of a metric in `unit` that can count as a change: below it run-to-run noise
    /// and the histograms' resolution (3 significant digits) dominate.
    public static func absoluteFloor(_ unit: MetricTraits.Unit) -> Double {
        switch unit {
        case .milliseconds: return 1
        case .seconds: return 0.001
        case .microseconds: return 1_000
        case .fraction: return 0.005
        case .perSecond: return 0.01
        case .count: return 1
        case .other: return 0
        }
    }

    /// Why `base` and `new` cannot be compared, or nil when they can: a run against a sweep, runs of different
    /// scenarios, nothing in common, or a `gated` name that neither result has (it would silently gate nothing).
    public static func mismatch(base: JSONValue, new: JSONValue, gated: Set<String> = []) -> String? {
        let baseSet = ComparisonSamples(base)
        let newSet = ComparisonSamples(new)
        if baseSet.kind != newSet.kind {
            return "cannot compare \(baseSet.kind.rawValue) with \(newSet.kind.rawValue): compare a run with a run "
                + "and a sweep with a sweep"
        }
        if let baseName = baseSet.scenarioNames.first, let newName = newSet.scenarioNames.first,
           baseSet.scenarioNames.count == 1, newSet.scenarioNames.count == 1, baseName != newName {
            return "the results are of different scenarios ('\(baseName)' and '\(newName)'): a comparison would "
                + "measure the change of scenario, not a regression"
        }
        let basePaths = Set(baseSet.metrics.map(\.path))
        if !newSet.metrics.contains(where: { basePaths.contains($0.path) && isGated($0.path, gated: []) }) {
            return "the results share no headline figure to compare"
        }
        let shared = newSet.metrics.map(\.path).filter { basePaths.contains($0) }
        let known = Set(shared).union(shared.map(metricName))
        if let unknown = gated.sorted().first(where: { !known.contains($0) }) {
            return "--gate-metric \(unknown) names no metric both results have (a dotted path such as latency_ms.p99.9 "
                + "is written latency_ms.p999; `compare --all` lists them)"
        }
        return nil
    }

    /// Compares `base` with `new`.
    /// - Parameters:
    ///   - tolerance: allowed relative change in the bad direction (0.1 = 10%); negative values count as 0.
    ///   - alpha: significance level for repeated runs, default 0.05.
    ///   - gated: metric paths or names gated besides the headline figures.
    public static func compare(
        base: JSONValue, new: JSONValue, tolerance: Double, alpha: Double = 0.05, gated: Set<String> = []
    ) -> ComparisonReport {
        let baseSet = ComparisonSamples(base)
        let newSet = ComparisonSamples(new)
        let tolerance = max(0, tolerance.isFinite ? tolerance : 0)
        var metrics: [MetricComparison] = []
        for (path, newValues) in newSet.metrics {
            guard let baseValues = baseSet.values(for: path) else { continue }
            let named = gated.contains(path) || gated.contains(metricName(path))
            metrics.append(compareMetric(
                path, base: baseValues, new: newValues, tolerance: tolerance, alpha: alpha,
                gated: isGated(path, gated: gated), named: named))
        }
        let newPaths = Set(newSet.metrics.map(\.path))
        let basePaths = Set(baseSet.metrics.map(\.path))
        return ComparisonReport(
            metrics: metrics, tolerance: tolerance, alpha: alpha, baseRuns: baseSet.runs, newRuns: newSet.runs,
            onlyInBase: baseSet.metrics.map(\.path).filter { !newPaths.contains($0) },
            onlyInNew: newSet.metrics.map(\.path).filter { !basePaths.contains($0) })
    }

    /// Parses a tolerance such as `10%`, `10 %` or `0.1` into a fraction; nil when it is not a non-negative number,
    /// or a bare number above 1 (`10` is ambiguous: 10% or 1000%? write `10%` or `0.1`).
    public static func parseTolerance(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let isPercent = trimmed.hasSuffix("%")
        let number = isPercent ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) : trimmed
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        if !isPercent && value > 1 { return nil }
        return isPercent ? value / 100 : value
    }

    /// - Parameter named: The user named this metric (`--gate-metric`): gated even when it is a counter.
    static func compareMetric(
        _ path: String, base: [Double], new: [Double], tolerance: Double, alpha: Double, gated: Bool = true,
        named: Bool = false
    ) -> MetricComparison {
        let traits = MetricTraits.of(path: metricName(path))
        let direction: MetricTraits.Direction =
            (traits.growth == .nonDecreasing && !named) || !gated ? .neutral : traits.direction
        let baseMedian = Statistics.median(base) ?? 0
        let newMedian = Statistics.median(new) ?? 0
        let relative: Double? = baseMedian != 0 ? (newMedian - baseMedian) / abs(baseMedian) : nil
        var result = MetricComparison(
            metric: path, direction: direction, unit: traits.unit, baseSamples: base, newSamples: new,
            base: baseMedian, new: newMedian, relativeChange: relative, pValue: nil, interval: nil,
            verdict: .informational, note: "")
        let beyond = beyondTolerance(base: baseMedian, new: newMedian, tolerance: tolerance, unit: traits.unit)
        let toleranceVerdict: MetricComparison.Verdict =
            beyond ? (result.isWorse ? .regression : .improvement) : .unchanged
        guard base.count >= 2, new.count >= 2, let test = MannWhitney.test(base, new) else {
            result.verdict = direction == .neutral ? .informational : toleranceVerdict
            result.note = direction == .neutral ? (gated ? "not gated" : "not a headline figure: not gated")
                : "compared with the tolerance (single run)"
            return result
        }
        result.pValue = test.pValue
        if direction != .neutral, Set(base + new).count > 1 {
            result.interval = BootstrapInterval.medianChange(base: base, new: new)
        }
        let runs = "\(base.count) vs \(new.count) runs"
        let p = "p = \(ReportNumber.plain(test.pValue)) (Mann-Whitney \(test.exact ? "exact" : "normal approx."), \(runs))"
        if direction == .neutral {
            result.verdict = .informational
            result.note = p
        } else if test.smallestPossiblePValue >= alpha {
            result.verdict = toleranceVerdict
            result.note = "\(runs) cannot reach p < \(ReportNumber.plain(alpha)); medians compared with the tolerance"
        } else if test.pValue >= alpha {
            result.verdict = .noSignificantChange
            result.note = p
        } else {
            result.verdict = toleranceVerdict
            result.note = p
        }
        return result
    }

    /// Whether the median moved by more than the tolerance (relative) and by more than the unit's absolute floor;
    /// from a zero base, by more than the floor.
    static func beyondTolerance(base: Double, new: Double, tolerance: Double, unit: MetricTraits.Unit) -> Bool {
        let change = abs(new - base)
        guard change > absoluteFloor(unit) else { return false }
        if base != 0 { return change / abs(base) > tolerance }
        return true
    }

    /// The metric name a traits lookup needs: a sweep point's `tier2/b1/w8.p95_ms` becomes `p95_ms`.
    static func metricName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), let dot = path[slash...].firstIndex(of: ".") else { return path }
        return String(path[path.index(after: dot)...])
    }
}
