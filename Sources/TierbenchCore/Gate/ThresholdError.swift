/// Why a threshold expression could not be parsed; each message quotes the expression and says what to write.
public enum ThresholdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression was empty or only whitespace.
    case empty
    /// No comparison operator was found.
    case missingOperator(expression: String)
    /// `=` was written where `==` is meant (or another near miss such as `=<`, `<>`).
    case misspelledOperator(expression: String, found: String, suggestion: String)
    /// The metric path is empty or holds characters other than letters, digits, `_`, `-` and `.`.
    case invalidMetric(expression: String, metric: String)
    /// Nothing follows the operator.
    case missingValue(expression: String)
    /// The value is not a number (with an optional unit).
    case invalidNumber(expression: String, value: String)
    /// A unit that tierbench does not know.
    case unknownUnit(expression: String, unit: String)
    /// A known unit on a metric it does not fit (`ms` on a count, `%` on a latency).
    case unitNotApplicable(expression: String, unit: String, metric: String, reason: String)

    public var description: String {
        let grammar = "write METRIC OP NUMBER[UNIT], e.g. \"latency_ms.p95 < 800ms\"; OP is one of < <= > >= == !="
        switch self {
        case .empty:
            return "empty threshold: \(grammar)"
        case .missingOperator(let expression):
            return "threshold \"\(expression)\" has no comparison operator: \(grammar)"
        case .misspelledOperator(let expression, let found, let suggestion):
            return "threshold \"\(expression)\": unknown operator '\(found)', did you mean '\(suggestion)'?"
        case .invalidMetric(let expression, let metric):
            return "threshold \"\(expression)\": '\(metric)' is not a metric path; use a dotted path into "
                + "summary.json such as latency_ms.p95, error_rate or status_counts.429"
        case .missingValue(let expression):
            return "threshold \"\(expression)\" has no value after the operator: \(grammar)"
        case .invalidNumber(let expression, let value):
            return "threshold \"\(expression)\": '\(value)' is not a number; write e.g. 800, 0.5, 1e3, 800ms or 1%"
        case .unknownUnit(let expression, let unit):
            return "threshold \"\(expression)\": unknown unit '\(unit)'; allowed: us, ms, s, m, h (durations), "
                + "% (fractions)"
        case .unitNotApplicable(let expression, let unit, let metric, let reason):
            return "threshold \"\(expression)\": unit '\(unit)' does not apply to '\(metric)' (\(reason)); "
                + "write a plain number"
        }
    }
}
