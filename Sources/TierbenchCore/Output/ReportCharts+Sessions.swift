extension ReportCharts {
    /// Sessions runs only (empty otherwise): active sessions over time (`time_series.sessions_active`), and by turn
    /// index the median TTFT and the mean context tokens (`sessions.by_turn`), one line per run.
    public static func sessions(_ runs: [JSONValue]) -> [SVGChart] {
        guard runs.contains(where: { $0["sessions"] != nil }) else { return [] }
        let many = runs.count > 1
        var active: [SVGChart.Series] = []
        var ttft: [SVGChart.Series] = []
        var context: [SVGChart.Series] = []
        for (index, run) in runs.enumerated() {
            let suffix = many ? " (run \(index + 1))" : ""
            if let series = run["time_series"], case .array(let counts)? = series["sessions_active"] {
                let bucket = max(series["bucket_s"]?.metricNumber ?? 1, 1e-9)
                let points = counts.enumerated().map { (x: Double($0.offset) * bucket, y: $0.element.metricNumber ?? .nan) }
                active.append(.init(name: "active sessions" + suffix, points: points))
            }
            guard case .array(let turns)? = run["sessions"]?["by_turn"] else { continue }
            // The overflow bucket (turns above 64) has no single index: it is left out of the lines.
            let indexed = turns.filter { $0["overflow"] == nil }
            let ttftPoints = indexed.compactMap { turn -> (x: Double, y: Double)? in
                guard let index = turn["turn"]?.metricNumber else { return nil }
                return (index, turn["ttft_ms"]?["p50"]?.metricNumber ?? .nan)
            }
            if ttftPoints.contains(where: { $0.y.isFinite }) {
                ttft.append(.init(name: "TTFT p50" + suffix, points: ttftPoints, dots: true))
            }
            let contextPoints = indexed.compactMap { turn -> (x: Double, y: Double)? in
                guard let index = turn["turn"]?.metricNumber, let turns = turn["turns"]?.metricNumber, turns > 0 else {
                    return nil
                }
                return (index, turn["context_tokens_mean"]?.metricNumber ?? .nan)
            }
            context.append(.init(name: "context tokens (mean)" + suffix, points: contextPoints, dots: true))
        }
        var charts: [SVGChart] = []
        if !active.isEmpty {
            charts.append(SVGChart(id: "chart-sessions-active", title: "Active sessions over time",
                                   xLabel: "time since start (s)", yLabel: "sessions", series: active))
        }
        if !ttft.isEmpty {
            charts.append(SVGChart(id: "chart-sessions-ttft", title: "TTFT by turn", xLabel: "turn",
                                   yLabel: "TTFT p50 (ms)", series: ttft))
        }
        charts.append(SVGChart(id: "chart-sessions-context", title: "Context by turn", xLabel: "turn",
                               yLabel: "prompt tokens", series: context))
        return charts
    }
}
