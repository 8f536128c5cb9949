/// Builds the report's charts from summary and sweep JSON.
///
/// Over time: `time_series.{bucket_s, requests, errors, rate_limited, latency_mean_ms}` (any other array whose
/// name starts with `latency` and ends in `_ms` is drawn as well, e.g. a per-second p95). Distribution: the
/// HdrHistogram percentile plot from `histograms.latency.buckets` (`[value_us, count]` pairs), or, without a
/// histogram, from the `latency_ms` percentiles. Sweeps: per tier, throughput, error rate and p95 against
/// workers, one line per batch size, with knees and the recommendation marked.
public enum ReportCharts {
    /// Requests/s, latency and errors over time for the runs (one line per run when there are several).
    public static func overTime(_ runs: [JSONValue]) -> [SVGChart] {
        let many = runs.count > 1
        var throughput: [SVGChart.Series] = []
        var latency: [SVGChart.Series] = []
        var errors: [SVGChart.Series] = []
        for (index, run) in runs.enumerated() {
            guard let series = run["time_series"] ?? run["timeseries"] else { continue }
            let bucket = max(series["bucket_s"]?.metricNumber ?? 1, 1e-9)
            let lastWidth = lastBucketWidth(run, bucket: bucket, count: numbers(series["requests"]).count)
            let suffix = many ? " (run \(index + 1))" : ""
            let requests = numbers(series["requests"])
            let failed = numbers(series["errors"])
            throughput.append(.init(name: "requests/s" + suffix, points: perSecond(requests, bucket, lastWidth)))
            if !many, !failed.isEmpty {
                let succeeded = zip(requests, failed).map { $0 - $1 }
                throughput.append(.init(
                    name: "succeeded/s", points: perSecond(succeeded, bucket, lastWidth), dashed: true))
            }
            errors.append(.init(name: "errors/s" + suffix, points: perSecond(failed, bucket, lastWidth)))
            if !many, case let limited = numbers(series["rate_limited"]), !limited.isEmpty {
                errors.append(.init(name: "HTTP 429/s", points: perSecond(limited, bucket, lastWidth), dashed: true))
            }
            if case .object(let members) = series {
                for member in members where member.key.hasPrefix("latency") && member.key.hasSuffix("_ms") {
                    let values = numbers(member.value)
                    // A bucket without successes has no latency: leave a gap instead of drawing a zero.
                    let points = values.enumerated().map { slot, value in
                        (x: Double(slot) * bucket, y: value > 0 ? value : Double.nan)
                    }
                    let name = member.key.replacingOccurrences(of: "latency_", with: "")
                        .replacingOccurrences(of: "_ms", with: "")
                    latency.append(.init(name: name + suffix, points: points))
                }
            }
        }
        return [
            SVGChart(id: "chart-throughput", title: "Requests per second over time", xLabel: "time since start (s)",
                     yLabel: "requests/s", series: throughput),
            SVGChart(id: "chart-latency-time", title: "Latency over time", xLabel: "time since start (s)",
                     yLabel: "latency (ms)", series: latency),
            SVGChart(id: "chart-errors", title: "Errors over time", xLabel: "time since start (s)",
                     yLabel: "failed requests/s", series: errors),
        ]
    }

    /// The latency distribution as an HdrHistogram percentile plot (one line per run and distribution).
    public static func latencyDistribution(_ runs: [JSONValue]) -> SVGChart {
        var series: [SVGChart.Series] = []
        for (index, run) in runs.enumerated() {
            let suffix = runs.count > 1 ? " (run \(index + 1))" : ""
            var added = false
            for (key, name) in [("latency", "service time"), ("response_time", "response time")] {
                guard let histogram = run.metricValue(at: "histograms.\(key)") else { continue }
                let points = percentilePoints(histogram: histogram)
                guard !points.isEmpty else { continue }
                // Response time equals service time in a closed loop: draw it only when it differs.
                if key == "response_time", let first = series.last, first.points.map(\.y) == points.map(\.y) { continue }
                series.append(.init(name: name + suffix, points: points, dashed: key == "response_time"))
                added = true
            }
            if !added, let stats = run["latency_ms"] {
                let points = percentilePoints(stats: stats)
                if !points.isEmpty { series.append(.init(name: "latency" + suffix, points: points, dots: true)) }
            }
        }
        return SVGChart(
            id: "chart-latency-distribution", title: "Latency by percentile (HdrHistogram)",
            xLabel: "percentile", yLabel: "latency (ms)", xScale: .percentile, series: series)
    }

    /// (percentile, ms) steps from a stored histogram's `[value_us, count]` buckets, at most ~600 points.
    static func percentilePoints(histogram: JSONValue) -> [(x: Double, y: Double)] {
        guard case .array(let buckets)? = histogram["buckets"] else { return [] }
        let pairs: [(value: Double, count: Double)] = buckets.compactMap { bucket in
            guard case .array(let pair) = bucket, pair.count == 2, let value = pair[0].metricNumber,
                  let count = pair[1].metricNumber, count > 0 else { return nil }
            return (value, count)
        }
        let total = pairs.reduce(0) { $0 + $1.count }
        guard total > 0 else { return [] }
        let cap = 1 - 0.5 / total
        var points: [(x: Double, y: Double)] = []
        var cumulative = 0.0
        let stride = max(1, pairs.count / 300)
        for (index, pair) in pairs.enumerated() {
            let start = cumulative / total
            cumulative += pair.count
            guard index % stride == 0 || index == pairs.count - 1 else { continue }
            let end = min(cumulative / total, cap)
            points.append((min(start, cap), pair.value / 1_000))
            points.append((end, pair.value / 1_000))
        }
        return points
    }

    /// (percentile, ms) from summary percentiles `p50 … p999`, `max` and `min`.
    static func percentilePoints(stats: JSONValue) -> [(x: Double, y: Double)] {
        let keys: [(String, Double)] = [("min", 0), ("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99),
                                        ("p999", 0.999), ("max", 0.9999)]
        return keys.compactMap { key, p in stats[key]?.metricNumber.map { (p, $0) } }
    }

    /// Per tier: throughput, error rate and p95 against workers.
    public static func sweep(_ view: SweepView) -> [(tier: String, charts: [SVGChart])] {
        var tiers: [String] = []
        for curve in view.curves where !tiers.contains(curve.tier) { tiers.append(curve.tier) }
        return tiers.enumerated().map { tierIndex, tier in
            let curves = view.curves.filter { $0.tier == tier }
            var markers: [SVGChart.Marker] = []
            for curve in curves {
                let batch = curves.count > 1 ? " b\(curve.batchSize)" : ""
                if let knee = curve.throughputKnee { markers.append(.init(x: Double(knee), label: "knee\(batch) \(knee)", kind: .knee)) }
                if let knee = curve.errorKnee { markers.append(.init(x: Double(knee), label: "error knee\(batch) \(knee)", kind: .knee)) }
                if let knee = curve.latencyKnee { markers.append(.init(x: Double(knee), label: "p95 knee\(batch) \(knee)", kind: .knee)) }
            }
            if let rec = view.recommendation(for: tier), let workers = rec.maxWorkers {
                let batch = rec.batchSize.map { ", batch \($0)" } ?? ""
                markers.append(.init(x: Double(workers), label: "recommended \(workers)\(batch)", kind: .recommendation))
            }
            let allWorkers = curves.flatMap { $0.points.map { Double($0.maxWorkers) } }
            let scale: ChartScale.Kind = (allWorkers.max() ?? 1) / max(allWorkers.min() ?? 1, 1) >= 8 ? .log2 : .linear
            func lines(_ value: (SweepView.Point) -> Double?) -> [SVGChart.Series] {
                curves.map { curve in
                    SVGChart.Series(
                        name: "batch \(curve.batchSize)",
                        points: curve.points.map { (Double($0.maxWorkers), value($0) ?? .nan) }, dots: true)
                }
            }
            let slug = "sweep-\(tierIndex)"
            return (tier, [
                SVGChart(id: "chart-\(slug)-throughput", title: "\(tier): throughput vs workers", xLabel: "max_workers",
                         yLabel: "requests/s", xScale: scale, series: lines { $0.goodputPerS ?? $0.requestsPerS },
                         markers: markers),
                SVGChart(id: "chart-\(slug)-errors", title: "\(tier): error rate vs workers", xLabel: "max_workers",
                         yLabel: "error rate", xScale: scale, series: lines(\.errorRate), markers: markers,
                         yFormat: { ReportNumber.percent($0, decimals: 1) }),
                SVGChart(id: "chart-\(slug)-p95", title: "\(tier): latency p95 vs workers", xLabel: "max_workers",
                         yLabel: "p95 (ms)", xScale: scale, series: lines(\.p95Ms), markers: markers),
            ])
        }
    }

    private static func numbers(_ value: JSONValue?) -> [Double] {
        guard case .array(let items)? = value else { return [] }
        return items.map { $0.metricNumber ?? .nan }
    }

    /// Counts per bucket as rates; the last bucket is divided by the part of it the run covered (`lastWidth`),
    /// so a run ending 0.1 s into its last bucket does not draw a false drop.
    private static func perSecond(_ counts: [Double], _ bucket: Double, _ lastWidth: Double) -> [(x: Double, y: Double)] {
        counts.enumerated().map { offset, count in
            (Double(offset) * bucket, count / (offset == counts.count - 1 ? lastWidth : bucket))
        }
    }

    /// How much of the last bucket the run lasted (s): `duration_s − (count − 1) × bucket_s`, when that lies in
    /// [1 ms, bucket]; otherwise the whole bucket (no duration, or a duration that does not fit the series).
    static func lastBucketWidth(_ run: JSONValue, bucket: Double, count: Int) -> Double {
        guard count > 0, let duration = run["duration_s"]?.metricNumber else { return bucket }
        let width = duration - Double(count - 1) * bucket
        return width >= 0.001 && width <= bucket ? width : bucket
    }
}
