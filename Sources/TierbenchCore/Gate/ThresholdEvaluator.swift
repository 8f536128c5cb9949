/// Evaluates thresholds against a summary (or sweep) JSON, and decides whether a running threshold can still
/// pass, for `abort_on_fail`.
public enum ThresholdEvaluator {
    /// Keys that are maps of counters where a missing key means zero (`status_counts.429` with no 429s).
    static let zeroDefaultMaps: Set<String> = ["status_counts", "errors"]

    /// Evaluates every threshold against `summary`, in order.
    public static func evaluate(_ thresholds: [Threshold], against summary: JSONValue) -> [ThresholdResult] {
        thresholds.map { evaluate($0, against: summary) }
    }

    /// Evaluates one threshold.
    ///
    /// A metric with no samples fails: a missing or null value, a latency-like metric (`latency_ms.*`,
    /// `ttft_ms.*`) when `requests.succeeded` is 0, or an error rate when `requests.total` is 0. A missing key
    /// under `status_counts` or `errors` counts as 0 (those maps list only non-zero counts); an unknown path
    /// fails with a did-you-mean against the paths present.
    public static func evaluate(_ threshold: Threshold, against summary: JSONValue) -> ThresholdResult {
        let path = threshold.metric
        let traits = MetricTraits.of(path: path)
        let value: Double
        if let found = summary.metricValue(at: path) {
            guard let number = found.metricNumber else {
                let what = found == .null ? "is null (no samples)" : "is not a number"
                return ThresholdResult(
                    threshold: threshold, status: found == .null ? .noSamples : .unknownMetric, actual: nil,
                    message: "\(path) \(what): \(threshold.expression) fails")
            }
            value = number
        } else if let zero = zeroDefault(path: path, in: summary) {
            value = zero
        } else {
            return unknown(threshold, in: summary)
        }
        if traits.needsSuccesses, count(summary, "requests.succeeded") == 0 {
            return ThresholdResult(
                threshold: threshold, status: .noSamples, actual: nil,
                message: "\(path) has no samples (no request succeeded): \(threshold.expression) fails")
        }
        if traits.needsRequests, count(summary, "requests.total") == 0 {
            return ThresholdResult(
                threshold: threshold, status: .noSamples, actual: nil,
                message: "\(path) has no samples (no request finished): \(threshold.expression) fails")
        }
        let unit = unitSuffix(traits.unit)
        let shown = "\(path) = \(ReportNumber.plain(value))\(unit)"
        let limit = "\(ReportNumber.plain(threshold.limit))\(unit)"
        if threshold.comparison.holds(value, threshold.limit) {
            return ThresholdResult(
                threshold: threshold, status: .passed, actual: value,
                message: "\(shown), \(threshold.comparison.rawValue) \(limit)")
        }
        return ThresholdResult(
            threshold: threshold, status: .failed, actual: value,
            message: "\(shown), \(threshold.comparison.negatedPhrase) \(limit)")
    }

    /// Zero for `status_counts.NNN` and `errors.CLASS` when the map exists but lacks the key and the key is a
    /// plausible status code or error class; nil otherwise.
    private static func zeroDefault(path: String, in summary: JSONValue) -> Double? {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, zeroDefaultMaps.contains(parts[0]),
              case .object = summary.metricValue(at: parts[0]) ?? .null else { return nil }
        if parts[0] == "status_counts" {
            return Int(parts[1]).map { (100...599).contains($0) } == true ? 0 : nil
        }
        return ErrorClass(rawValue: parts[1]) != nil ? 0 : nil
    }

    private static func unknown(_ threshold: Threshold, in summary: JSONValue) -> ThresholdResult {
        let path = threshold.metric
        var paths = summary.metricPaths()
        if paths.contains("status_counts") { paths += ["status_counts.200", "status_counts.429"] }
        if paths.contains("errors") { paths += ErrorClass.allCases.map { "errors." + $0.rawValue } }
        var message = "\(path) is not in the summary (no samples): \(threshold.expression) fails"
        if let suggestion = KeySuggestion.closest(to: path, among: paths), suggestion != path {
            message += "; did you mean '\(suggestion)'?"
        } else {
            let parent = path.split(separator: ".").dropLast().joined(separator: ".")
            let siblings = paths.filter { $0.hasPrefix(parent + ".") && !$0.dropFirst(parent.count + 1).contains(".") }
            if !parent.isEmpty, !siblings.isEmpty {
                message += "; \(parent) has: " + siblings.prefix(12).joined(separator: ", ")
            }
        }
        return ThresholdResult(threshold: threshold, status: .unknownMetric, actual: nil, message: message)
    }

    private static func count(_ summary: JSONValue, _ path: String) -> Double? {
        summary.metricValue(at: path)?.metricNumber
    }

    /// The unit as shown after a value: ` ms`, ` s`, ` µs`, or nothing.
    static func unitSuffix(_ unit: MetricTraits.Unit) -> String {
        switch unit {
        case .milliseconds: return " ms"
        case .seconds: return " s"
        case .microseconds: return " µs"
        case .perSecond: return "/s"
        default: return ""
        }
    }
}
