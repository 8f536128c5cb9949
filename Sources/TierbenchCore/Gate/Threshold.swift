/// A pass/fail condition on one summary metric, written k6-style: `latency_ms.p95 < 800ms`.
///
/// Grammar (whitespace around the operator is optional):
/// ```
/// threshold := METRIC OP NUMBER [UNIT]
/// METRIC    := dotted path into summary.json or sweep.json, e.g. latency_ms.p95, status_counts.429,
///              errors.http_429, recommendation.tier2.max_workers
/// OP        := "<" | "<=" | ">" | ">=" | "==" | "!="
/// NUMBER    := decimal, optional sign, fraction and exponent, "_" allowed between digits (1_000)
/// UNIT      := "us" | "µs" | "ms" | "s" | "m" | "h"   (only on time metrics: paths with a *_ms, *_s, *_us part;
///                                                     converted to the metric's unit, so 1s on latency_ms is 1000)
///            | "%"                                   (divides by 100: 1% is 0.01; not on times, counts or rates/s)
/// ```
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
    /// Dotted path of the metric, e.g. `latency_ms.p95`.
    public var metric: String
    /// The comparison.
    public var comparison: ThresholdOperator
    /// The limit, already converted into the metric's own unit (ms for `latency_ms.*`, 0…1 for rates).
    public var limit: Double
    /// The expression as written, for messages and reports.
    public var expression: String

    /// A threshold from its parts; `expression` defaults to `metric op limit`.
    public init(metric: String, comparison: ThresholdOperator, limit: Double, expression: String? = nil) {
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
        self.expression = expression ?? "\(metric) \(comparison.rawValue) \(ReportNumber.plain(limit))"
    }

    public var description: String { expression }

    /// Parses an expression such as `latency_ms.p95 < 800`, `error_rate <= 1%` or `latency_ms.p99 < 1.5s`.
    /// - Throws: `ThresholdError` naming the expression and what to write instead.
    public static func parse(_ text: String) throws(ThresholdError) -> Threshold {
        let expression = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !expression.isEmpty else { throw .empty }
        let (metricPart, comparison, valuePart) = try split(expression)
        let metric = metricPart.trimmingCharacters(in: .whitespaces)
        guard isValidMetric(metric) else { throw .invalidMetric(expression: expression, metric: metric) }
        let valueText = valuePart.trimmingCharacters(in: .whitespaces)
        guard !valueText.isEmpty else { throw .missingValue(expression: expression) }
        let limit = try parseValue(valueText, metric: metric, expression: expression)
        return Threshold(metric: metric, comparison: comparison, limit: limit, expression: expression)
    }

    /// Splits at the first operator; reports near misses (`=`, `=<`, `=>`, `<>`) with the right spelling.
    private static func split(_ expression: String) throws(ThresholdError)
        -> (Substring, ThresholdOperator, Substring)
    {
        let operatorCharacters: Set<Character> = ["<", ">", "=", "!"]
        guard let start = expression.firstIndex(where: { operatorCharacters.contains($0) }) else {
            throw .missingOperator(expression: expression)
        }
        let end = expression[start...].firstIndex { !operatorCharacters.contains($0) } ?? expression.endIndex
        let symbol = String(expression[start..<end])
        guard let comparison = ThresholdOperator(rawValue: symbol) else {
            let suggestions = ["=": "==", "=<": "<=", "=>": ">=", "<>": "!=", "===": "==", "=!": "!="]
            throw .misspelledOperator(
                expression: expression, found: symbol, suggestion: suggestions[symbol] ?? "one of < <= > >= == !=")
        }
        return (expression[..<start], comparison, expression[end...])
    }

    private static func isValidMetric(_ metric: String) -> Bool {
        guard !metric.isEmpty, !metric.hasPrefix("."), !metric.hasSuffix("."), !metric.contains("..") else {
            return false
        }
        return metric.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || scalar == "_" || scalar == "-" || scalar == "."
        }
    }

    /// The number with its optional unit, converted into the metric's unit.
    private static func parseValue(_ text: String, metric: String, expression: String) throws(ThresholdError)
        -> Double
    {
        let numberCharacters = Set("0123456789+-._eE")
        var splitIndex = text.endIndex
        // The number ends where a character that cannot belong to it starts (an `e` followed by a non-digit
        // starts a unit, not an exponent).
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if !numberCharacters.contains(character) { splitIndex = index; break }
            if character == "e" || character == "E" {
                let next = text.index(after: index)
                let digitFollows = next < text.endIndex && "0123456789+-".contains(text[next])
                if !digitFollows { splitIndex = index; break }
            }
            index = text.index(after: index)
        }
        let numberText = text[..<splitIndex].replacingOccurrences(of: "_", with: "")
        let unit = text[splitIndex...].trimmingCharacters(in: .whitespaces)
        guard !numberText.isEmpty, let number = Double(numberText), number.isFinite else {
            throw .invalidNumber(expression: expression, value: text)
        }
        guard !unit.isEmpty else { return number }
        let traits = MetricTraits.of(path: metric)
        if unit == "%" {
            switch traits.unit {
            case .milliseconds, .seconds, .microseconds, .count, .perSecond:
                throw .unitNotApplicable(
                    expression: expression, unit: unit, metric: metric,
                    reason: "% is for fractions such as error_rate; this metric is a \(traits.unit.rawValue) value")
            case .fraction, .other:
                return number / 100
            }
        }
        guard ["us", "µs", "ms", "s", "m", "min", "h"].contains(unit) else {
            throw .unknownUnit(expression: expression, unit: unit)
        }
        guard let scale = traits.scale(forDurationUnit: unit) else {
            throw .unitNotApplicable(
                expression: expression, unit: unit, metric: metric,
                reason: "durations apply to time metrics whose path has a _ms, _s or _us part")
        }
        return number * scale
    }
}
