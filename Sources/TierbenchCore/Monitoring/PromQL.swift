/// PromQL fragments over the harness's metric families, shared by the Grafana dashboard and the alert rules: every
/// metric name in an expression comes from a `MetricFamily`, so an export cannot name a series the harness does not
/// serve (`metricNames(in:)` checks it in tests and in `scripts/check/prometheus_check.sh`).
public enum PromQL {
    /// A label matcher list, e.g. `{scenario="chat"}` or `{scenario=~"$scenario",outcome="failure"}`.
    public static func selector(scenario: Selector, _ extra: [(String, String)] = []) -> String {
        var parts = [scenario.matcher]
        for (key, value) in extra { parts.append("\(key)=\"\(value)\"") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// How expressions select the scenario: a fixed name (alert rules) or a Grafana variable (dashboards).
    public enum Selector: Sendable, Hashable {
        case name(String)
        case variable(String)

        var matcher: String {
            switch self {
            case .name(let name): return "scenario=\"\(escape(name))\""
            case .variable(let variable): return "scenario=~\"$\(variable)\""
            }
        }
    }

    /// `sum [by (labels)] (rate(family{…}[window]))`: a counter's per-second rate.
    public static func rate(
        _ family: MetricFamily, _ scenario: Selector, window: String, by labels: [String] = [],
        where extra: [(String, String)] = []
    ) -> String {
        precondition(family.kind == .counter, "rate() over a non-counter family")
        return sum(by: labels, "rate(\(family.name)\(selector(scenario: scenario, extra))[\(window)])")
    }

    /// `sum [by (labels)] (family{…})`: a gauge's current value.
    public static func gauge(_ family: MetricFamily, _ scenario: Selector, by labels: [String] = []) -> String {
        precondition(family.kind == .gauge, "gauge() over a non-gauge family")
        return sum(by: labels, "\(family.name)\(selector(scenario: scenario))")
    }

    /// `histogram_quantile(q, sum by (le) (rate(family_bucket{…}[window])))`, in seconds.
    public static func quantile(_ quantile: Double, _ family: MetricFamily, _ scenario: Selector, window: String)
        -> String
    {
        precondition(family.kind == .histogram, "histogram_quantile() over a non-histogram family")
        return "histogram_quantile(\(ReportNumber.plain(quantile)), sum by (le) (rate(\(family.name)_bucket"
            + "\(selector(scenario: scenario))[\(window)])))"
    }

    /// The mean of a histogram over the window: `sum(rate(_sum)) / sum(rate(_count))`, in seconds.
    public static func mean(_ family: MetricFamily, _ scenario: Selector, window: String) -> String {
        precondition(family.kind == .histogram, "mean over a non-histogram family")
        let labels = selector(scenario: scenario)
        return "sum(rate(\(family.name)_sum\(labels)[\(window)])) / sum(rate(\(family.name)_count\(labels)[\(window)]))"
    }

    /// `sum [by (labels)] (inner)`.
    static func sum(by labels: [String], _ inner: String) -> String {
        labels.isEmpty ? "sum(\(inner))" : "sum by (\(labels.joined(separator: ", "))) (\(inner))"
    }

    /// The `tierbench_…` metric names an expression mentions (identifiers that start with `tierbench_`, not label
    /// values inside quotes).
    public static func metricNames(in expression: String) -> Set<String> {
        var names = Set<String>()
        var current = ""
        var inQuotes = false
        var previous: Character = " "
        func flush() {
            if current.hasPrefix("tierbench_") { names.insert(current) }
            current = ""
        }
        for character in expression {
            if character == "\"", previous != "\\" {
                flush()
                inQuotes.toggle()
            } else if !inQuotes, character.isLetter || character.isNumber || character == "_" || character == ":" {
                current.append(character)
            } else {
                flush()
            }
            previous = character
        }
        flush()
        return names
    }

    /// Escapes a label value inside double quotes.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
