/// A scenario's `alerts:` as a Prometheus rule group (`tierbench export alerts`, docs/monitoring.md): one alerting
/// rule per entry, `expr` = the live figure in PromQL (`AlertExpression`) compared with the limit, `for:` = the
/// entry's `for`, `severity` = `critical` for `action: abort`, `warning` for `warn`.
public struct PrometheusAlertRules: Sendable {
    /// One translated alert.
    public struct Alert: Sendable {
        public var name: String
        public var rule: AlertRule
        public var figure: AlertExpression
        public var expr: String
        public var severity: String
        public var summary: String
        public var description: String
    }

    /// The rate window of windowed figures.
    public static let window = "1m"
    /// The group's evaluation interval (`interval:`), in seconds; the promtool test file evaluates and samples at
    /// the same interval, so the tests simulate what a Prometheus with these rules does. Needs a scrape interval of
    /// at most this (docs/monitoring.md).
    public static let evaluationIntervalSeconds = 15
    /// The longest `for:` exported: its promtool test holds one input sample every 15 s for that long.
    public static let longestSustain = TimeSpan.seconds(86_400)
    /// The largest limit exported (in absolute value): beyond it the test values (L·1.05, …) lose meaning.
    public static let largestLimit = 1e15

    public let scenario: String
    public let alerts: [Alert]
    /// Alerts that export but behave differently from the in-run alert (a percentile limit between bucket bounds).
    public let warnings: [String]

    /// Translates every rule; every problem is reported at once.
    /// - Throws: `MonitoringExportError.alerts` naming each alert (by position and `when`) and its metric.
    public init(scenario: String, rules: [AlertRule]) throws(MonitoringExportError) {
        self.scenario = scenario
        var problems: [String] = []
        var alerts: [Alert] = []
        var used: [String: Int] = [:]
        var warnings: [String] = []
        for (index, rule) in rules.enumerated() {
            let metric = rule.condition.metric
            let where_ = "alerts[\(index)] (when: \"\(rule.condition.expression)\")"
            guard let figure = AlertExpression.of(metric: metric) else {
                problems.append(
                    "\(where_): metric '\(metric)' has no Prometheus series; use one of "
                        + AlertRule.metrics.joined(separator: ", "))
                continue
            }
            let comparison = rule.condition.comparison
            let limit = rule.condition.limit
            guard limit.isFinite, abs(limit) <= Self.largestLimit else {
                problems.append(
                    "\(where_): the limit \(limit) is out of range; give a finite number within ±1e15")
                continue
            }
            if figure.isRatio, !(0...1).contains(limit), comparison != .equal, comparison != .notEqual {
                problems.append(
                    "\(where_): '\(metric)' is a ratio between 0 and 1, so '\(comparison.rawValue) "
                        + "\(AlertExpression.exact(limit))' always or never holds; give a limit from 0 to 1 (5% = 0.05)")
                continue
            }
            if !figure.isCount, comparison == .equal || comparison == .notEqual {
                problems.append(
                    "\(where_): '\(comparison.rawValue)' on '\(metric)' (a rate, ratio or percentile) cannot be "
                        + "compared exactly in PromQL; use < or >")
                continue
            }
            if case .latencyQuantile = figure {
                let bounds = MetricFamily.latency.bucketsSeconds
                let largestMs = (bounds.last ?? 0) * 1000
                if rule.condition.limit >= largestMs {
                    problems.append(
                        "\(where_): the limit \(AlertExpression.decimal(rule.condition.limit)) ms is at or above the "
                            + "largest finite latency bucket bound (\(AlertExpression.decimal(largestMs)) ms); "
                            + "histogram_quantile never estimates more, so '\(comparison.rawValue)' would "
                            + (comparison == .lessThan || comparison == .lessThanOrEqual ? "always hold" : "never fire")
                            + "; use a limit below \(AlertExpression.decimal(largestMs)) ms")
                    continue
                }
                if !bounds.contains(where: { $0 * 1000 == rule.condition.limit }) {
                    warnings.append(
                        "\(where_): \(metric) is estimated from the latency buckets (bounds "
                            + bounds.map { MetricFamily.boundLabel($0 * 1000) }.joined(separator: ", ")
                            + " ms) by linear interpolation; a limit between two bounds is approximate")
                }
            }
            if PromtoolRuleTest.value(for: rule, figure: figure, firing: true) == nil {
                problems.append(
                    "\(where_): '\(metric)' can never be \(comparison.rawValue) \(ReportNumber.plain(rule.condition.limit))"
                        + (figure.isRatio
                            ? " (a ratio between 0 and 1)"
                            : Self.isPercentile(figure)
                                ? " (histogram_quantile's estimate on the latency buckets is at least q × the first "
                                    + "bound, \(MetricFamily.boundLabel((MetricFamily.latency.bucketsSeconds.first ?? 0) * 1000)) ms)"
                                : " (it is never negative)")
                        + "; the alert would never fire")
                continue
            }
            if rule.sustain > Self.longestSustain {
                problems.append(
                    "\(where_): for: \(rule.sustain) is longer than \(Self.longestSustain), which the promtool test "
                        + "file can simulate (one sample every \(PromtoolRuleTest.intervalSeconds) s); shorten it")
                continue
            }
            let base = "Tierbench" + Self.camelCase(metric)
            let seen = used[base, default: 0] + 1
            used[base] = seen
            let name = seen == 1 ? base : "\(base)\(seen)"
            let expr = figure.promQL(scenario: scenario, window: Self.window)
                + " \(comparison.rawValue) \(AlertExpression.exact(rule.condition.limit))"
            let severity = rule.action == .abort ? "critical" : "warning"
            let summary = "tierbench \(scenario): \(rule.condition.expression) for \(Self.duration(rule.sustain))"
            var description = "In-run alert of scenario \(scenario) (action: \(rule.action.rawValue)); "
                + (figure.isCount || !Self.isWindowed(figure) ? "cumulative counters." : "rates over \(Self.window).")
            if Self.isPercentile(figure) {
                description += " The percentile is a histogram_quantile estimate from the latency buckets "
                    + "(linear inside a bucket), approximate for a limit between two bucket bounds."
            }
            alerts.append(Alert(
                name: name, rule: rule, figure: figure, expr: expr, severity: severity, summary: summary,
                description: description))
        }
        if rules.isEmpty { problems.append("the scenario has no alerts: entries to export") }
        guard problems.isEmpty else { throw .alerts(scenario: scenario, problems: problems) }
        self.alerts = alerts
        self.warnings = warnings
    }

    /// The group's name, `tierbench-<scenario>`.
    public var groupName: String { "tierbench-\(scenario)" }

    /// The rule file (YAML).
    public var ruleFile: String {
        var out = "# Prometheus alerting rules generated by `tierbench export alerts` from the alerts: of scenario "
            + "\(YAMLText.comment(scenario)).\n# Metric names: docs/monitoring.md. Check with: promtool check rules FILE\n"
        out += "groups:\n  - name: \(YAMLText.quoted(groupName))\n"
        out += "    interval: \(Self.evaluationIntervalSeconds)s\n"
        out += "    rules:\n"
        for alert in alerts {
            out += "      - alert: \(alert.name)\n"
            out += "        expr: \(YAMLText.quoted(alert.expr))\n"
            out += "        for: \(Self.duration(alert.rule.sustain))\n"
            out += "        labels:\n"
            out += "          severity: \(alert.severity)\n"
            // Labels and annotations are Go templates in Prometheus: braces in a scenario name are written literally.
            out += "          scenario: \(YAMLText.quoted(Self.templateLiteral(scenario)))\n"
            out += "        annotations:\n"
            out += "          summary: \(YAMLText.quoted(Self.templateLiteral(alert.summary)))\n"
            out += "          description: \(YAMLText.quoted(Self.templateLiteral(alert.description)))\n"
        }
        return out
    }

    /// A Prometheus duration: whole seconds as `10s`, otherwise milliseconds (rounded up), `0s` for none.
    public static func duration(_ span: TimeSpan) -> String {
        let nanos = max(span.nanoseconds, 0)
        if nanos % 1_000_000_000 == 0 { return "\(nanos / 1_000_000_000)s" }
        return "\((nanos + 999_999) / 1_000_000)ms"
    }

    /// `text` as a Go template that expands to `text`: each `{{` and `}}` becomes a template action printing it.
    static func templateLiteral(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let first = rest.first {
            if rest.hasPrefix("{{") {
                out += #"{{"{{"}}"#
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("}}") {
                out += #"{{"}}"}}"#
                rest = rest.dropFirst(2)
            } else {
                out.append(first)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// `latency_ms.p95` → `LatencyMsP95`.
    static func camelCase(_ metric: String) -> String {
        metric.split(whereSeparator: { $0 == "." || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    static func isPercentile(_ figure: AlertExpression) -> Bool {
        if case .latencyQuantile = figure { return true }
        return false
    }

    static func isWindowed(_ figure: AlertExpression) -> Bool {
        switch figure {
        case .rate: return true
        case .allRequests(let total), .errorRatio(let total), .latencyQuantile(_, let total): return !total
        case .gauge, .count: return false
        }
    }
}
