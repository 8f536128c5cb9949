/// The charts of an analysis, drawn with the report's `SVGChart` and `ReportCharts` percentile plots.
public enum AnalysisCharts {
    /// Request frequency over time (one chart per resolution shown), the latency and inter-arrival percentile
    /// plots, and the session charts.
    public static func charts(_ analysis: LogAnalysis) -> [SVGChart] {
        var out: [SVGChart] = []
        if let requests = analysis.requests {
            for series in requests.frequency { out.append(frequency(series, what: "Requests", id: "chart-frequency")) }
            var latency: [SVGChart.Series] = []
            if let points = percentiles(analysis.latencyHistogram) { latency.append(.init(name: "latency", points: points)) }
            if !latency.isEmpty {
                out.append(SVGChart(id: "chart-latency-distribution", title: "Latency of succeeded requests by percentile (HdrHistogram)",
                                    xLabel: "percentile", yLabel: "latency (ms)", xScale: .percentile, series: latency))
            }
            if let points = percentiles(analysis.interArrivalHistogram) {
                out.append(SVGChart(id: "chart-inter-arrival", title: "Inter-arrival time by percentile",
                                    xLabel: "percentile", yLabel: "gap (ms)", xScale: .percentile,
                                    series: [.init(name: "gap between arrivals", points: points)]))
            }
        }
        if let sessions = analysis.sessions {
            let turns = sessions.turnsHistogram.map { (x: Double($0[0]), y: Double($0[1])) }
            out.append(SVGChart(id: "chart-turns", title: "Turns per session", xLabel: "turns done", yLabel: "sessions",
                                series: [.init(name: "sessions", points: turns, dots: true)]))
            if let points = percentiles(analysis.sessionDurationHistogram) {
                out.append(SVGChart(id: "chart-session-duration", title: "Session length by percentile",
                                    xLabel: "percentile", yLabel: "duration (s)", xScale: .percentile,
                                    series: [.init(name: "session duration", points: points.map { ($0.x, $0.y / 1_000) })]))
            }
            for series in sessions.starts { out.append(frequency(series, what: "Sessions started", id: "chart-session-starts")) }
        }
        return out
    }

    /// The most points a frequency chart draws (a year of 1 min buckets would be 527,040).
    static let maxPoints = 2_000

    /// Events per second over time: counts and failures per bucket divided by the bucket width.
    static func frequency(_ series: FrequencySeries, what: String, id: String) -> SVGChart {
        let (unit, label): (Double, String) = switch series.resolutionS {
        case 1: (1, "s")
        case 60: (60, "min")
        default: (3_600, "h")
        }
        let width = Double(series.resolutionS)
        let last = series.counts.count - 1
        // The last bucket is divided by the part of it the data covers, so a log ending early in it draws no drop.
        // Covering less than half of it, it is left out: a few arrivals over a sliver would draw a false spike.
        let dropLast = last > 0 && series.lastBucketS < width / 2
        let shown = dropLast ? last : series.counts.count
        // At most `maxPoints` points: k consecutive buckets make one (their count over their seconds).
        let group = max((shown + maxPoints - 1) / maxPoints, 1)
        func rates(_ values: [UInt32]) -> [(x: Double, y: Double)] {
            stride(from: 0, to: shown, by: group).map { start in
                var count = 0.0
                var seconds = 0.0
                for offset in start..<min(start + group, shown) {
                    count += Double(values[offset])
                    seconds += offset == last ? series.lastBucketS : width
                }
                return (x: Double(start) * width / unit, y: count / seconds)
            }
        }
        let counts = rates(series.counts)
        let errors = rates(series.errors)
        var lines = [SVGChart.Series(name: "\(what.lowercased())/s", points: counts)]
        if errors.contains(where: { $0.y > 0 }) { lines.append(.init(name: "failed/s", points: errors, dashed: true)) }
        let bucket = series.resolutionS == 1 ? "1 s" : series.resolutionS == 60 ? "1 min" : "1 h"
        return SVGChart(id: "\(id)-\(series.resolutionS)s", title: "\(what) per second over time (\(bucket) buckets)",
                        xLabel: "time since start (\(label))", yLabel: "per second", series: lines)
    }

    /// (percentile, ms) points of a histogram, through the report's own percentile plot.
    static func percentiles(_ histogram: DurationHistogram) -> [(x: Double, y: Double)]? {
        guard histogram.count > 0 else { return nil }
        let buckets = HistogramSnapshot(histogram.histogram).buckets
        let pairs: [JSONValue] = buckets.map { pair in JSONValue.array(pair.map { JSONValue.int(Int(clamping: $0)) }) }
        let json = JSONValue.object([JSONValue.Member("buckets", .array(pairs))])
        let points = ReportCharts.percentilePoints(histogram: json)
        return points.isEmpty ? nil : points
    }
}
