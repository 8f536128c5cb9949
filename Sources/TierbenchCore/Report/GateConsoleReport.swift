import Foundation

/// The gate verdict for a terminal: one line per threshold (PASS/FAIL, the expression, the actual value and why),
/// the baseline comparison's flagged metrics, and the generator-bottleneck check.
public enum GateConsoleReport {
    /// Everything the CLI prints after the run summary when the scenario has thresholds or a baseline was given.
    /// - Parameters:
    ///   - abortedBy: the `abort_on_fail` threshold that stopped the run early, if one did.
    ///   - bottleneck: nil when the scenario does not ask; otherwise whether the generator was the bottleneck.
    public static func render(
        thresholds: [ThresholdResult], comparison: ComparisonReport?, abortedBy: Threshold? = nil,
        bottleneck: Bool? = nil, color: Bool = false
    ) -> String {
        var lines: [String] = []
        if let abortedBy {
            lines.append(paint("aborted early: \(abortedBy.expression) can no longer pass (abort_on_fail)", 31, color))
        }
        if !thresholds.isEmpty {
            let passed = thresholds.filter(\.passed).count
            lines.append("Thresholds: \(passed) of \(thresholds.count) passed")
            let width = min(48, thresholds.map { $0.threshold.expression.count }.max() ?? 0)
            for result in thresholds {
                let mark = result.passed ? paint("PASS", 32, color) : paint("FAIL", 31, color)
                let expression = result.threshold.expression.padding(toLength: max(width, 1), withPad: " ", startingAt: 0)
                lines.append("  \(mark)  \(expression)  \(result.message)")
            }
        }
        if let comparison {
            lines.append("Baseline: " + comparison.headline)
            let shown = comparison.metrics.filter { $0.verdict == .regression || $0.verdict == .improvement }
            for metric in shown.prefix(20) {
                let mark = metric.verdict == .regression ? paint("REGRESSED", 31, color) : paint("IMPROVED ", 32, color)
                let change = metric.relativeChange.map(ReportNumber.change) ?? "n/a"
                lines.append("  \(mark)  \(metric.metric): \(ReportNumber.withUnit(metric.base, unit: metric.unit)) → "
                    + "\(ReportNumber.withUnit(metric.new, unit: metric.unit)) (\(change))"
                    + (metric.note.isEmpty ? "" : "; \(metric.note)"))
            }
        }
        if let bottleneck {
            lines.append(bottleneck
                ? paint("FAIL", 31, color) + "  the load generator was the bottleneck (generator.limited_by_generator)"
                : paint("PASS", 32, color) + "  the load generator kept up with its schedule")
        }
        return lines.joined(separator: "\n")
    }

    private static func paint(_ text: String, _ code: Int, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
