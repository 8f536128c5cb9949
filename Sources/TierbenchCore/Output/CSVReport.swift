/// CSV (RFC 4180 quoting, `\n` line ends): one header row, then one row per run, or per point for a sweep.
///
/// Runs: `run`, `scenario`, `started_at`, the key figures in a fixed order, then every other numeric metric of
/// the summaries (union, first-seen order; an empty cell where a run lacks one). Sweeps: `tier`, `model`,
/// `batch_size`, `rate`, `max_workers`, then every figure of the points.
public enum CSVReport {
    /// Key figures first, so spreadsheets line up across tierbench versions.
    public static let leadingColumns = [
        "requests.total", "requests.succeeded", "requests.failed", "error_rate", "throughput.requests_per_s",
        "throughput.tokens_per_s", "latency_ms.p50", "latency_ms.p90", "latency_ms.p95", "latency_ms.p99",
        "latency_ms.p999", "latency_ms.max", "latency_ms.mean", "tokens.prompt", "tokens.completion", "tokens.total",
    ]

    /// The CSV for `content`: its sweep when it has one, otherwise its runs.
    public static func render(_ content: ReportContent) -> String {
        if let sweep = content.sweep, case .array(let points)? = sweep["points"] {
            return renderSweep(points: points)
        }
        return renderRuns(content.runs)
    }

    /// One row per summary.
    public static func renderRuns(_ runs: [JSONValue]) -> String {
        var columns = leadingColumns
        var known = Set(columns)
        for run in runs {
            for (path, _) in run.numericMetrics() where !known.contains(path) {
                known.insert(path)
                columns.append(path)
            }
        }
        var rows = [["run", "scenario", "started_at"] + columns]
        for (index, run) in runs.enumerated() {
            var row = [String(index + 1), text(run.metricValue(at: "scenario.name")), text(run["started_at"])]
            row += columns.map { path in run.metricValue(at: path)?.metricNumber.map(ReportNumber.plain) ?? "" }
            rows.append(row)
        }
        return rows.map(line).joined()
    }

    /// One row per sweep point.
    public static func renderSweep(points: [JSONValue]) -> String {
        var figureColumns: [String] = []
        var known: Set<String> = []
        for point in points {
            for (path, _) in (point["figures"] ?? point).numericMetrics() where !known.contains(path) {
                known.insert(path)
                figureColumns.append(path)
            }
        }
        var rows = [["tier", "model", "batch_size", "rate", "max_workers"] + figureColumns]
        for point in points {
            let settings = point["settings"] ?? point
            let figures = point["figures"] ?? point
            var row = [
                SweepView.label(settings["tier"]) ?? "", text(settings["model"]), text(settings["batch_size"]),
                text(settings["rate"]), text(settings["max_workers"]),
            ]
            row += figureColumns.map { figures.metricValue(at: $0)?.metricNumber.map(ReportNumber.plain) ?? "" }
            rows.append(row)
        }
        return rows.map(line).joined()
    }

    /// One CSV line with its newline.
    static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\n"
    }

    /// A field, quoted when it holds a comma, quote, CR or LF (or starts/ends with a space); quotes doubled.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .some(let value) where value.metricNumber != nil: return value.metricNumber.map(ReportNumber.plain) ?? ""
        default: return ""
        }
    }
}
