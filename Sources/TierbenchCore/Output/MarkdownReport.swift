/// Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: a verdict heading, the key figures, the
/// thresholds with ✅/❌, the baseline comparison and the sweep's recommendations, each as a GitHub table.
public enum MarkdownReport {
    /// The key figures: label, path, unit. Rows whose path no run has are left out.
    static let keyFigures: [(label: String, path: String, unit: MetricTraits.Unit)] = [
        ("Requests", "requests.total", .count),
        ("Succeeded", "requests.succeeded", .count),
        ("Failed", "requests.failed", .count),
        ("Error rate", "error_rate", .fraction),
        ("Throughput (requests/s)", "throughput.requests_per_s", .other),
        ("Throughput (tokens/s)", "throughput.tokens_per_s", .other),
        ("Latency p50 (ms)", "latency_ms.p50", .other),
        ("Latency p90 (ms)", "latency_ms.p90", .other),
        ("Latency p95 (ms)", "latency_ms.p95", .other),
        ("Latency p99 (ms)", "latency_ms.p99", .other),
        ("Latency p99.9 (ms)", "latency_ms.p999", .other),
        ("Latency max (ms)", "latency_ms.max", .other),
        ("TTFT p95 (ms)", "ttft_ms.p95", .other),
        ("HTTP 429", "status_counts.429", .count),
        ("Tokens (total)", "tokens.total", .count),
        ("Sessions ended", "sessions.ended", .count),
        ("Session goodput", "sessions.goodput", .fraction),
        ("Turns per session (mean)", "sessions.turns_per_session.mean", .other),
        ("Session duration p50 (ms)", "sessions.duration_ms.p50", .other),
    ]

    /// The whole report.
    public static func render(_ content: ReportContent) -> String {
        var sections: [String] = [heading(content)]
        if !content.runs.isEmpty { sections.append(figures(content.runs)) }
        if !content.thresholds.isEmpty { sections.append("### Thresholds\n\n" + thresholds(content.thresholds)) }
        if let comparison = content.comparison { sections.append(self.comparison(comparison)) }
        if let sweepJSON = content.sweep, let sweep = SweepView(sweepJSON) { sections.append(self.sweep(sweep)) }
        return sections.joined(separator: "\n")
    }

    static func heading(_ content: ReportContent) -> String {
        var facts: [String] = content.runProblems + content.selfCheckWarnings.map { "⚠️ " + $0 }
        if !content.thresholds.isEmpty {
            let failed = content.thresholds.failures.count
            facts.append(failed == 0
                ? "all \(content.thresholds.count) thresholds passed"
                : "\(failed) of \(content.thresholds.count) thresholds failed")
        }
        if let comparison = content.comparison {
            facts.append(comparison.hasRegression
                ? "\(comparison.regressions.count) regression(s) against the baseline"
                : "no regression against the baseline")
        }
        let mark = content.gatePassed ? "✅" : "❌"
        let title = MarkdownTable.escape(content.displayTitle)
        return "## \(mark) tierbench: \(title)\n\n" + (facts.isEmpty ? "" : facts.joined(separator: "; ") + "\n")
    }

    /// One row per key figure, one value column per run.
    static func figures(_ runs: [JSONValue]) -> String {
        let header = ["Metric"] + (runs.count == 1 ? ["Value"] : runs.indices.map { "Run \($0 + 1)" })
        var table = MarkdownTable(header: header)
        for figure in keyFigures {
            let values = runs.map { $0.metricValue(at: figure.path)?.metricNumber }
            guard values.contains(where: { $0 != nil }) else { continue }
            table.rows.append([figure.label] + values.map { value in
                value.map { ReportNumber.withUnit($0, unit: figure.unit) } ?? "–"
            })
        }
        return table.text
    }

    /// One row per threshold with ✅ or ❌.
    public static func thresholds(_ results: [ThresholdResult]) -> String {
        var table = MarkdownTable(header: ["", "Threshold", "Actual", "Result"], alignments: [.center, .left, .right, .left])
        for result in results {
            let unit = MetricTraits.of(path: result.threshold.metric).unit
            table.rows.append([
                result.passed ? "✅" : "❌",
                MarkdownTable.code(result.threshold.expression),
                result.actual.map { ReportNumber.withUnit($0, unit: unit) } ?? "no samples",
                result.passed ? "passed" : result.message,
            ])
        }
        return table.text
    }

    /// The key and flagged metrics of a comparison.
    public static func comparison(_ report: ComparisonReport) -> String {
        var out = "### Comparison with the baseline\n\n" + report.headline + "\n\n"
        var table = MarkdownTable(
            header: ["Metric", "Base", "New", "Change", "Verdict"], alignments: [.left, .right, .right, .right, .left])
        let shown = report.keyMetrics.isEmpty ? Array(report.metrics.prefix(20)) : report.keyMetrics
        for metric in shown {
            table.rows.append([
                MarkdownTable.code(metric.metric),
                ReportNumber.withUnit(metric.base, unit: metric.unit),
                ReportNumber.withUnit(metric.new, unit: metric.unit),
                metric.relativeChange.map(ReportNumber.change) ?? "n/a",
                verdictText(metric),
            ])
        }
        out += table.text
        return out
    }

    static func verdictText(_ metric: MetricComparison) -> String {
        let label: String
        switch metric.verdict {
        case .regression: label = "❌ regression"
        case .improvement: label = "🟢 improvement"
        case .unchanged: label = "unchanged"
        case .noSignificantChange: label = "no significant change"
        case .informational: label = "info"
        }
        return metric.pValue == nil ? label : label + " (" + metric.note + ")"
    }

    /// The recommendation per tier, then each curve's knees.
    static func sweep(_ sweep: SweepView) -> String {
        var out = "### Sweep\n\n"
        var table = MarkdownTable(header: [
            "Tier", "Batch", "Recommended workers", "Throughput knee", "Error knee", "Latency knee",
            "Requests/s at rec.", "p95 at rec. (ms)", "Error rate at rec.",
        ])
        for curve in sweep.curves {
            let recommendation = sweep.recommendation(for: curve.tier)
            let matchesBatch = recommendation?.batchSize.map { $0 == curve.batchSize } ?? true
            let workers = matchesBatch ? recommendation?.maxWorkers : nil
            let point = workers.flatMap { target in curve.points.first { $0.maxWorkers == target } }
            table.rows.append([
                curve.tier, String(curve.batchSize), workers.map(String.init) ?? "–",
                curve.throughputKnee.map(String.init) ?? "–", curve.errorKnee.map(String.init) ?? "–",
                curve.latencyKnee.map(String.init) ?? "–",
                point?.requestsPerS.map(ReportNumber.plain) ?? "–", point?.p95Ms.map(ReportNumber.plain) ?? "–",
                point?.errorRate.map { ReportNumber.percent($0) } ?? "–",
            ])
        }
        out += table.text
        let reasons = sweep.recommendations.compactMap { rec in rec.reason.map { "- **\(rec.tier)**: \($0)" } }
        if !reasons.isEmpty { out += "\n" + reasons.joined(separator: "\n") + "\n" }
        return out
    }
}
