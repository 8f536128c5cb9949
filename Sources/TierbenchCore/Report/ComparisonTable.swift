import Foundation

/// A baseline comparison as a plain-text table for the terminal (`tierbench compare`).
public enum ComparisonTable {
    /// The headline, then one row per metric: name, base, new, change, verdict and note.
    /// - Parameter all: every compared metric; otherwise the key figures and every flagged metric.
    public static func render(_ report: ComparisonReport, all: Bool = false) -> String {
        let shown = all || report.keyMetrics.isEmpty ? report.metrics : report.keyMetrics
        var rows: [[String]] = [["metric", "base", "new", "change", "verdict", "note"]]
        for metric in shown {
            rows.append([
                metric.metric, ReportNumber.withUnit(metric.base, unit: metric.unit),
                ReportNumber.withUnit(metric.new, unit: metric.unit),
                metric.relativeChange.map(ReportNumber.change) ?? "n/a",
                metric.verdict.rawValue.replacingOccurrences(of: "_", with: " "), metric.note,
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = [report.headline]
        for row in rows {
            var line = ""
            for column in 0..<5 {
                line += row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0) + "  "
            }
            lines.append((line + row[5]).trimmingCharacters(in: .whitespaces))
        }
        if !all, shown.count < report.metrics.count {
            lines.append("(\(report.metrics.count - shown.count) more metrics unchanged or informational; --all lists them)")
        }
        return lines.joined(separator: "\n")
    }
}
