import Foundation
import Testing
import TierbenchCore

/// `tierbench export grafana` and `export alerts` (docs/monitoring.md): the dashboard names only served series, and
/// every `alerts:` metric translates into the expected PromQL with promtool inputs on the right side of its limit.
@Suite struct MonitoringExportTests {
    @Test func dashboardExpressionsOnlyNameServedSeries() {
        let dashboard = GrafanaDashboard.build(scenario: "chat")
        let expressions = GrafanaDashboard.expressions(in: dashboard)
        #expect(expressions.count >= 20)
        var named = Set<String>()
        for expression in expressions {
            let names = PromQL.metricNames(in: expression)
            #expect(!names.isEmpty, "\(expression)")
            #expect(names.isSubset(of: MetricFamily.servedSeriesNames), "\(names.subtracting(MetricFamily.servedSeriesNames))")
            named.formUnion(names)
        }
        // The panels the issue asks for read these families.
        for series in [
            "tierbench_requests_total", "tierbench_rate_limited_total", "tierbench_latency_seconds_bucket",
            "tierbench_ttft_seconds_bucket", "tierbench_itl_seconds_bucket", "tierbench_tokens_total",
            "tierbench_cost_usd_total", "tierbench_sessions_active", "tierbench_sessions_total",
            "tierbench_send_lateness_seconds_bucket", "tierbench_in_flight",
        ] {
            #expect(named.contains(series), "\(series)")
        }
        let quantiles = expressions.filter { $0.hasPrefix("histogram_quantile(0.99, sum by (le) (rate(") }
        #expect(quantiles.count == 4)
    }

    @Test func dashboardHasTheVariablesAndUniquePanels() throws {
        let dashboard = GrafanaDashboard.build(scenario: "chat")
        #expect(dashboard.metricValue(at: "schemaVersion") == .int(GrafanaDashboard.schemaVersion))
        guard case .array(let variables)? = dashboard.metricValue(at: "templating.list"),
            case .array(let panels)? = dashboard.metricValue(at: "panels")
        else {
            Issue.record("no templating or panels")
            return
        }
        #expect(variables.first?.metricValue(at: "type") == .string("datasource"))
        #expect(variables.first?.metricValue(at: "query") == .string("prometheus"))
        #expect(variables.last?.metricValue(at: "definition") == .string("label_values(tierbench_requests_total, scenario)"))
        #expect(variables.last?.metricValue(at: "current.value") == .string("chat"))
        let ids = panels.compactMap { $0.metricValue(at: "id") }
        #expect(ids.count == panels.count && Set(ids.map { "\($0)" }).count == panels.count)
        for panel in panels {
            #expect(panel.metricValue(at: "datasource.uid") == .string("${DS_PROMETHEUS}"))
        }
        #expect(dashboard.jsonText.contains(#"scenario=~\"$scenario\""#))
    }

    @Test func metricNamesSkipLabelValues() {
        #expect(PromQL.metricNames(in: #"sum(rate(tierbench_a_total{scenario="tierbench_b_total"}[1m])) / tierbench_c"#)
            == ["tierbench_a_total", "tierbench_c"])
    }

    @Test("each alerts: metric translates to PromQL over the served series", arguments: [
        // Warmup included, as the in-run figure.
        ("requests_per_s", #"sum(rate(tierbench_requests_total{scenario="s"}[1m])) + sum(rate(tierbench_warmup_requests_total{scenario="s"}[1m]))"#),
        ("error_rate", #"sum(rate(tierbench_requests_total{scenario="s",outcome="failure"}[1m])) / sum(rate(tierbench_requests_total{scenario="s"}[1m]))"#),
        ("rate_limited_per_s", #"sum(rate(tierbench_rate_limited_total{scenario="s"}[1m]))"#),
        ("tokens_per_s", #"sum(rate(tierbench_tokens_total{scenario="s"}[1m]))"#),
        ("in_flight", #"sum(tierbench_in_flight{scenario="s"})"#),
        ("latency_ms.p50", #"histogram_quantile(0.5, sum by (le) (rate(tierbench_latency_seconds_bucket{scenario="s"}[1m]))) * 1000"#),
        ("latency_ms.p95", #"histogram_quantile(0.95, sum by (le) (rate(tierbench_latency_seconds_bucket{scenario="s"}[1m]))) * 1000"#),
        ("latency_ms.p99", #"histogram_quantile(0.99, sum by (le) (rate(tierbench_latency_seconds_bucket{scenario="s"}[1m]))) * 1000"#),
        ("total.requests", #"sum(tierbench_requests_total{scenario="s"}) + sum(tierbench_warmup_requests_total{scenario="s"})"#),
        ("total.failed", #"sum(tierbench_requests_total{scenario="s",outcome="failure"})"#),
        ("total.rate_limited", #"sum(tierbench_rate_limited_total{scenario="s"})"#),
        ("total.error_rate", #"sum(tierbench_requests_total{scenario="s",outcome="failure"}) / sum(tierbench_requests_total{scenario="s"})"#),
        ("total.latency_ms.p95", #"histogram_quantile(0.95, sum by (le) (tierbench_latency_seconds_bucket{scenario="s"})) * 1000"#),
    ])
    func alertMetricTranslates(metric: String, expected: String) throws {
        let figure = try #require(AlertExpression.of(metric: metric))
        let expr = figure.promQL(scenario: "s", window: "1m")
        #expect(expr == expected)
        #expect(PromQL.metricNames(in: expr).isSubset(of: MetricFamily.servedSeriesNames))
        // The promtool inputs name only served series, for the same scenario.
        for (series, _) in figure.inputSeries(value: 3, scenario: "s", interval: 15, steps: 10) {
            #expect(PromQL.metricNames(in: series).isSubset(of: MetricFamily.servedSeriesNames), "\(series)")
            #expect(series.contains(#"scenario="s""#))
        }
    }

    @Test func requestFiguresSplitTheirInputsBetweenMeasuredAndWarmup() throws {
        // total.requests = 101: 51 measured + 50 warmup, both series standing at their count.
        let total = try #require(AlertExpression.of(metric: "total.requests"))
        let totalInputs = total.inputSeries(value: 101, scenario: "s", interval: 15, steps: 4)
        #expect(totalInputs.map(\.1) == ["51+0x4", "50+0x4"])
        #expect(totalInputs.map(\.0) == [
            #"tierbench_requests_total{scenario="s",outcome="success"}"#, #"tierbench_warmup_requests_total{scenario="s"}"#,
        ])
        // requests_per_s = 8: 4/s of each, so each counter rises by 60 per 15 s sample.
        let rate = try #require(AlertExpression.of(metric: "requests_per_s"))
        #expect(rate.inputSeries(value: 8, scenario: "s", interval: 15, steps: 4).map(\.1) == ["0+60x4", "0+60x4"])
    }

    @Test func bracesInTheScenarioNameAreNotTemplates() throws {
        let rules = try PrometheusAlertRules(scenario: "a{{.b}}c}}", rules: [
            AlertRule(condition: try Threshold.parse("in_flight > 3")),
        ])
        let file = rules.ruleFile
        // Prometheus expands labels and annotations as Go templates; these expand back to the name.
        #expect(file.contains(#"          scenario: "a{{\"{{\"}}.b{{\"}}\"}}c{{\"}}\"}}"\#n"#), "\(file)")
        #expect(file.contains(#"summary: "tierbench a{{\"{{\"}}.b{{\"}}\"}}c{{\"}}\"}}: in_flight > 3 for 0s""#), "\(file)")
        // The promtool test expects the expanded text.
        let test = PromtoolRuleTest.file(for: rules, ruleFile: "r.yml")
        #expect(test.contains(#"summary: "tierbench a{{.b}}c}}: in_flight > 3 for 0s""#), "\(test)")
    }

    @Test func tinyLimitsAreWrittenExactly() throws {
        // A 9-decimal rounding would write 1e-10 as 0 (and `> 0` is another alert).
        let rules = try PrometheusAlertRules(scenario: "s", rules: [
            AlertRule(condition: try Threshold.parse("error_rate > 0.0000000001")),
            AlertRule(condition: try Threshold.parse("tokens_per_s > 0.1")),
        ])
        #expect(rules.alerts[0].expr.hasSuffix(" > 1e-10"), "\(rules.alerts[0].expr)")
        #expect(rules.alerts[1].expr.hasSuffix(" > 0.1"))
        let file = PromtoolRuleTest.file(for: rules, ruleFile: "r.yml")
        #expect(file.contains("TierbenchErrorRate fires at error_rate = 1.05e-10"), "\(file)")
        #expect(!file.contains("inf"))
    }

    @Test func everyAlertRuleMetricIsCovered() {
        for metric in AlertRule.metrics { #expect(AlertExpression.of(metric: metric) != nil, "\(metric)") }
    }

    @Test func ruleFileCarriesExprForSeverityAndAnnotations() throws {
        let rules = try PrometheusAlertRules(scenario: "chat", rules: [
            AlertRule(condition: try Threshold.parse("error_rate > 5%"), sustain: .seconds(10), action: .abort),
            AlertRule(condition: try Threshold.parse("latency_ms.p95 > 2s"), sustain: .milliseconds(1500)),
            AlertRule(condition: try Threshold.parse("error_rate > 50%")),
        ])
        #expect(rules.alerts.map(\.name) == ["TierbenchErrorRate", "TierbenchLatencyMsP95", "TierbenchErrorRate2"])
        let file = rules.ruleFile
        // The group evaluates every 15 s, as the promtool tests do (not Prometheus' default 1m).
        #expect(file.contains("  - name: \"tierbench-chat\"\n    interval: 15s\n    rules:\n"))
        let test = PromtoolRuleTest.file(for: rules, ruleFile: "r.yml")
        #expect(test.contains("evaluation_interval: \(PrometheusAlertRules.evaluationIntervalSeconds)s\n"))
        #expect(file.contains(#"        expr: "sum(rate(tierbench_requests_total{scenario=\"chat\",outcome=\"failure\"}[1m])) / sum(rate(tierbench_requests_total{scenario=\"chat\"}[1m])) > 0.05""#))
        #expect(file.contains("        for: 10s\n        labels:\n          severity: critical\n"))
        #expect(file.contains("        for: 1500ms\n        labels:\n          severity: warning\n"))
        #expect(file.contains(" * 1000 > 2000\"\n"))
        #expect(file.contains("        for: 0s\n"))
    }

    /// Within 5 % of the limit on each side (a limit off by more flips one test); a firing rate 4× (it must hold
    /// 15 s into the 1 m window, where rate() reads a quarter).
    static let promtoolCases: [(String, Double, Double)] = [
        ("error_rate > 5%", 0.05 * 1.05, 0.05 * 0.95),
        ("error_rate > 0", 0.05, 0),
        ("error_rate < 0.99", 0.99 * 0.95, 0.995),
        ("requests_per_s < 10", 9.5, 10.5),
        ("rate_limited_per_s > 1", 4.2, 0.95),
        ("in_flight >= 64", 64 * 1.05, 64 * 0.95),
        ("total.requests == 100", 100, 101),
    ]

    @Test("promtool inputs sit on the firing and the quiet side of the limit", arguments: promtoolCases)
    func promtoolValues(when: String, firing: Double, quiet: Double) throws {
        let rule = AlertRule(condition: try Threshold.parse(when))
        let figure = try #require(AlertExpression.of(metric: rule.condition.metric))
        #expect(PromtoolRuleTest.value(for: rule, figure: figure, firing: true) == firing)
        #expect(PromtoolRuleTest.value(for: rule, figure: figure, firing: false) == quiet)
        #expect(rule.condition.comparison.holds(firing, rule.condition.limit))
        #expect(!rule.condition.comparison.holds(quiet, rule.condition.limit))
    }

    @Test func histogramQuantileInterpolatesAsPrometheusDoes() {
        let bounds = [1.0, 2, 4]
        // 10 values ≤ 1, 20 in (1, 2], 10 in (2, 4], none above: rank 20 lies halfway through (1, 2].
        #expect(HistogramQuantileInput.quantile(0.5, bounds: bounds, cumulative: [10, 30, 40, 40]) == 1.5)
        // Rank 39.6: 9.6 of the 10 in (2, 4].
        let inBucket: Double = (0.99 * 40 - 30) / 10
        let expected: Double = 2 + 2 * inBucket
        #expect(HistogramQuantileInput.quantile(0.99, bounds: bounds, cumulative: [10, 30, 40, 40]) == expected)
        // The first bucket starts at 0; a rank in +Inf gives the largest finite bound.
        #expect(HistogramQuantileInput.quantile(0.05, bounds: bounds, cumulative: [10, 30, 40, 40]) == 0.2)
        #expect(HistogramQuantileInput.quantile(0.5, bounds: bounds, cumulative: [0, 0, 0, 7]) == 4)
        #expect(HistogramQuantileInput.quantile(0.5, bounds: bounds, cumulative: [0, 0, 0, 0]) == nil)
    }

    @Test("percentile inputs use the served buckets and land on each side of the limit", arguments: [
        "latency_ms.p95 > 2s", "latency_ms.p99 <= 250ms", "latency_ms.p50 < 7ms", "total.latency_ms.p95 >= 100s",
        "latency_ms.p95 > 5ms",
    ])
    func percentileInputs(when: String) throws {
        let rule = AlertRule(condition: try Threshold.parse(when))
        let limit = rule.condition.limit
        let figure = try #require(AlertExpression.of(metric: rule.condition.metric))
        guard case .latencyQuantile(let q, let total) = figure else { Issue.record("not a percentile"); return }
        let bounds = MetricFamily.latency.bucketsSeconds
        let served = Set(bounds.map(MetricFamily.boundLabel) + ["+Inf"])
        for firing in [true, false] {
            let value = try #require(PromtoolRuleTest.value(for: rule, figure: figure, firing: firing))
            #expect(rule.condition.comparison.holds(value, limit) == firing, "\(when) \(firing): \(value)")
            // Close to the limit (as close as 1000 observations on the served buckets allow for p99).
            #expect(abs(value - limit) <= 0.1 * limit, "\(when) \(firing): \(value)")
            // The inputs: one rising series per served bound, and their counts give that value.
            let inputs = figure.inputSeries(value: value, scenario: "s", interval: 15, steps: 4)
            #expect(inputs.count == bounds.count + 1)
            var counts: [Double] = []
            for (series, values) in inputs {
                let le = try #require(series.split(separator: "\"").dropLast().last.map(String.init))
                #expect(served.contains(le), "\(series)")
                let first = values.split(separator: "+").first.map(String.init) ?? ""
                let step = values.split(separator: "+").dropFirst().first?.split(separator: "x").first.map(String.init)
                counts.append(try #require(Double(total ? first : step ?? "")))
            }
            let estimate = try #require(HistogramQuantileInput.quantile(q, bounds: bounds, cumulative: counts))
            #expect(estimate * 1000 == value)
        }
    }

    @Test func testFileHasAFiringAndAQuietCasePerAlert() throws {
        let rules = try PrometheusAlertRules(scenario: "chat", rules: [
            AlertRule(condition: try Threshold.parse("error_rate > 5%"), sustain: .seconds(10), action: .abort),
        ])
        let file = PromtoolRuleTest.file(for: rules, ruleFile: "tierbench-chat.rules.yml")
        #expect(file.contains("rule_files:\n  - \"tierbench-chat.rules.yml\"\n"))
        // Firing at 0.0525: per 15 s step 947.5 successes and 52.5 failures; quiet at 0.0475: 952.5 and 47.5.
        #expect(file.contains(#"values: "0+947.5x10""#))
        #expect(file.contains(#"values: "0+52.5x10""#))
        #expect(file.contains(#"values: "0+952.5x10""#))
        #expect(file.contains(#"values: "0+47.5x10""#))
        #expect(file.contains("      - eval_time: 90s\n        alertname: TierbenchErrorRate\n        exp_alerts:\n"))
        // Not before its 10 s: the rate has a value from 15 s on, so at 15 s the alert has held 0 s and is pending.
        #expect(file.contains("      - eval_time: 15s\n        alertname: TierbenchErrorRate\n        exp_alerts: []\n"))
        #expect(file.contains("        exp_alerts: []\n"))
        #expect(file.components(separatedBy: "  - name: ").count - 1 == 2)
    }

    @Test func alertsThatCannotBeExpressedAreNamedWithTheirMetric() throws {
        let error = #expect(throws: MonitoringExportError.self) {
            _ = try PrometheusAlertRules(scenario: "chat", rules: [
                AlertRule(condition: try Threshold.parse("latency_ms.p90 > 1s")),
                AlertRule(condition: try Threshold.parse("error_rate == 0.1")),
                AlertRule(condition: try Threshold.parse("error_rate > 1")),
                AlertRule(condition: try Threshold.parse("in_flight < 0")),
                AlertRule(condition: try Threshold.parse("in_flight > 3")),
                AlertRule(condition: try Threshold.parse("in_flight > 3"), sustain: .seconds(90_000)),
                AlertRule(condition: try Threshold.parse("latency_ms.p95 > 120s")),
                AlertRule(condition: try Threshold.parse("latency_ms.p99 < 200s")),
                AlertRule(condition: try Threshold.parse("latency_ms.p95 < 4ms")),
                AlertRule(condition: Threshold(metric: "in_flight", comparison: .greaterThan, limit: .infinity)),
                AlertRule(condition: try Threshold.parse("error_rate < 2")),
                AlertRule(condition: try Threshold.parse("total.requests > 1e16")),
            ])
        }
        let text = error?.description ?? ""
        #expect(text.contains("alerts[0] (when: \"latency_ms.p90 > 1s\"): metric 'latency_ms.p90' has no Prometheus series"), "\(text)")
        #expect(text.contains("alerts[1] (when: \"error_rate == 0.1\"): '==' on 'error_rate'"), "\(text)")
        #expect(text.contains("alerts[2] (when: \"error_rate > 1\"): 'error_rate' can never be > 1"), "\(text)")
        #expect(text.contains("alerts[3] (when: \"in_flight < 0\"): 'in_flight' can never be < 0"), "\(text)")
        #expect(!text.contains("alerts[4]"))
        #expect(text.contains("alerts[5] (when: \"in_flight > 3\"): for: 25h is longer than 24h"), "\(text)")
        #expect(text.contains("alerts[6] (when: \"latency_ms.p95 > 120s\"): the limit 120000 ms is at or above the largest finite latency bucket bound (120000 ms); histogram_quantile never estimates more, so '>' would never fire"), "\(text)")
        #expect(text.contains("alerts[7] (when: \"latency_ms.p99 < 200s\"): the limit 200000 ms is at or above the largest finite latency bucket bound (120000 ms); histogram_quantile never estimates more, so '<' would always hold"), "\(text)")
        #expect(text.contains("alerts[8] (when: \"latency_ms.p95 < 4ms\"): 'latency_ms.p95' can never be < 4 (histogram_quantile's estimate"), "\(text)")
        #expect(text.contains("alerts[9] (when: ") && text.contains("): the limit inf is out of range"), "\(text)")
        #expect(text.contains("alerts[10] (when: \"error_rate < 2\"): 'error_rate' is a ratio between 0 and 1, so '< 2' always or never holds"), "\(text)")
        #expect(text.contains("alerts[11] (when: \"total.requests > 1e16\"): the limit 1e+16 is out of range"), "\(text)")
    }

    @Test func aPercentileLimitBetweenBucketBoundsIsWarnedAbout() throws {
        let rules = try PrometheusAlertRules(scenario: "chat", rules: [
            AlertRule(condition: try Threshold.parse("latency_ms.p95 > 2s")),
            AlertRule(condition: try Threshold.parse("latency_ms.p95 > 2500ms")),
            AlertRule(condition: try Threshold.parse("error_rate > 0.3")),
        ])
        #expect(rules.warnings.count == 1)
        #expect(rules.warnings.first?.hasPrefix("alerts[0] (when: \"latency_ms.p95 > 2s\"): latency_ms.p95 is estimated from the latency buckets (bounds 5, 10, 25,") == true, "\(rules.warnings)")
        #expect(rules.alerts[0].description.contains("histogram_quantile estimate"))
        #expect(!rules.alerts[2].description.contains("histogram_quantile"))
    }

    @Test func theDocsListEveryServedFamilyWithItsTypeAndNoOther() throws {
        let url = ScenarioTestSupport.packageRoot.appendingPathComponent("docs/monitoring.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for family in MetricFamily.all {
            #expect(text.contains("| `\(family.name)` | \(family.kind.rawValue) |"), "\(family.name) missing from docs/monitoring.md")
        }
        let documented = text.split(separator: "\n").filter { $0.hasPrefix("| `tierbench_") }.compactMap { line in
            line.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(Set(documented) == Set(MetricFamily.all.map(\.name)))
    }

    @Test func theMonitoringScenarioExportsEveryAlert() throws {
        let url = ScenarioTestSupport.scenarios.appendingPathComponent("monitoring.yaml")
        let scenario = try ScenarioLoader.parse(text: try String(contentsOf: url, encoding: .utf8), fileName: "monitoring.yaml")
        let rules = try PrometheusAlertRules(scenario: scenario.name, rules: scenario.alerts)
        #expect(rules.alerts.count == scenario.alerts.count && rules.alerts.count >= 5)
        #expect(Set(rules.alerts.map(\.severity)) == ["critical", "warning"])
    }

    @Test func theAllMetricsFixtureCoversEveryMetricAndComparison() throws {
        let url = ScenarioTestSupport.fixtures.appendingPathComponent("monitoring/all-alert-metrics.yaml")
        let scenario = try ScenarioLoader.parse(
            text: try String(contentsOf: url, encoding: .utf8), fileName: "all-alert-metrics.yaml")
        #expect(Set(scenario.alerts.map(\.condition.metric)) == Set(AlertRule.metrics))
        #expect(Set(scenario.alerts.map(\.condition.comparison)) == Set(ThresholdOperator.allCases))
        let rules = try PrometheusAlertRules(scenario: scenario.name, rules: scenario.alerts)
        let file = PromtoolRuleTest.file(for: rules, ruleFile: "r.yml")
        // Each alert has its firing test, a quiet test unless no value keeps it quiet (`error_rate >= 0`, and
        // `latency_ms.p99 > 0`: histogram_quantile on the served buckets is never below 0.99 × 5 ms), and with a
        // for: the "still pending" check.
        let pending = scenario.alerts.filter { $0.sustain.nanoseconds > 0 }.count
        let quiet = rules.alerts.filter { PromtoolRuleTest.value(for: $0.rule, figure: $0.figure, firing: false) != nil }
        #expect(quiet.count == scenario.alerts.count - 2)
        #expect(file.components(separatedBy: "alertname: ").count - 1 == scenario.alerts.count + quiet.count + pending)
        #expect(file.contains("# TierbenchErrorRate2: no value of error_rate keeps it quiet; only the firing test"))
        #expect(file.contains("# TierbenchLatencyMsP99: no value of latency_ms.p99 keeps it quiet; only the firing test"))
    }
}
