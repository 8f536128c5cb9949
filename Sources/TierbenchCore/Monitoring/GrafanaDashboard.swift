/// The Grafana dashboard `tierbench export grafana` writes (docs/monitoring.md): importable JSON with a Prometheus
/// datasource variable (`DS_PROMETHEUS`), a `scenario` variable from `label_values`, and panels for request rate by
/// outcome with 429s, errors, latency/TTFT/ITL percentiles from the histograms, tokens and cost per second,
/// sessions, generator lateness and in-flight. Every expression is built by `PromQL` from `MetricFamily`.
public enum GrafanaDashboard {
    /// The dashboard JSON schema version written: 39, what Grafana 10.4 and 11 write (and vLLM's dashboard uses), so
    /// Grafana 10.4 or newer imports it; newer Grafana migrates it on import (the panels use nothing newer).
    public static let schemaVersion = 39
    /// The rate window of every panel: Grafana's `$__rate_interval` (at least four scrape intervals).
    static let window = "$__rate_interval"

    /// One query of a panel.
    public struct Query: Sendable, Hashable {
        public var expr: String
        public var legend: String
    }

    /// One time-series panel.
    public struct Panel: Sendable, Hashable {
        public var title: String
        public var unit: String
        public var description: String
        public var queries: [Query]
    }

    /// The panels, in order (two per row).
    public static func panels() -> [Panel] {
        let s = PromQL.Selector.variable("scenario")
        func q(_ expr: String, _ legend: String) -> Query { Query(expr: expr, legend: legend) }
        func percentiles(_ family: MetricFamily) -> [Query] {
            [0.5, 0.9, 0.99].map { q(PromQL.quantile($0, family, s, window: window), "p\(Int($0 * 100))") }
                + [q(PromQL.mean(family, s, window: window), "mean")]
        }
        return [
            Panel(
                title: "Request rate by outcome", unit: "reqps",
                description: "Measured requests finished per second by outcome; 429 = answered HTTP 429; warmup apart.",
                queries: [
                    q(PromQL.rate(.requests, s, window: window, by: ["outcome"]), "{{outcome}}"),
                    q(PromQL.rate(.rateLimited, s, window: window), "429"),
                    q(PromQL.rate(.warmupRequests, s, window: window), "warmup"),
                ]),
            Panel(
                title: "Errors by class", unit: "reqps",
                description: "Measured failures per second by error class; retries = attempts beyond the first.",
                queries: [
                    q(PromQL.rate(.errors, s, window: window, by: ["class"]), "{{class}}"),
                    q(PromQL.rate(.attempts, s, window: window) + " - " + PromQL.rate(.requests, s, window: window),
                      "retries"),
                ]),
            Panel(
                title: "Latency (service time of successes)", unit: "s",
                description: "histogram_quantile over tierbench_latency_seconds buckets.",
                queries: percentiles(.latency)),
            Panel(
                title: "Time to first token", unit: "s",
                description: "histogram_quantile over tierbench_ttft_seconds buckets (streaming successes).",
                queries: percentiles(.timeToFirstToken)),
            Panel(
                title: "Inter-token latency", unit: "s",
                description: "histogram_quantile over tierbench_itl_seconds buckets (gaps between content chunks).",
                queries: percentiles(.interTokenLatency)),
            Panel(
                title: "Tokens per second", unit: "short",
                description: "Tokens in the usage of measured responses per second, by kind.",
                queries: [
                    q(PromQL.rate(.tokens, s, window: window, by: ["kind"]), "{{kind}}"),
                    q(PromQL.rate(.cachedPromptTokens, s, window: window), "cached prompt"),
                ]),
            Panel(
                title: "Cost per second", unit: "currencyUSD",
                description: "USD per second at the run's price (no data when the model has no price).",
                queries: [q(PromQL.rate(.cost, s, window: window), "USD/s")]),
            Panel(
                title: "Sessions", unit: "short",
                description: "Sessions under way, and sessions started and ended per second by outcome.",
                queries: [
                    q(PromQL.gauge(.sessionsActive, s), "active"),
                    q(PromQL.rate(.sessionsStarted, s, window: window), "started/s"),
                    q(PromQL.rate(.sessions, s, window: window, by: ["outcome"]), "ended/s {{outcome}}"),
                ]),
            Panel(
                title: "Generator lateness", unit: "s",
                description: "How late requests were sent after their intended time (tierbench_send_lateness_seconds).",
                queries: percentiles(.sendLateness)),
            Panel(
                title: "In flight", unit: "short", description: "Transfers under way.",
                queries: [q(PromQL.gauge(.inFlight, s), "in flight")]),
        ]
    }

    /// The dashboard; `scenario` preselects that scenario in the variable (all scenarios otherwise).
    public static func build(scenario: String? = nil) -> JSONValue {
        let datasource = JSONValue.object([.init("type", .string("prometheus")), .init("uid", .string("${DS_PROMETHEUS}"))])
        var panelValues: [JSONValue] = []
        for (index, panel) in panels().enumerated() {
            let targets = panel.queries.enumerated().map { offset, query -> JSONValue in
                .object([
                    .init("refId", .string(String(UnicodeScalar(UInt8(65 + offset % 26))))),
                    .init("datasource", datasource), .init("expr", .string(query.expr)),
                    .init("legendFormat", .string(query.legend)), .init("range", .bool(true)),
                ])
            }
            panelValues.append(.object([
                .init("id", .int(index + 1)), .init("type", .string("timeseries")), .init("title", .string(panel.title)),
                .init("description", .string(panel.description)), .init("datasource", datasource),
                .init("gridPos", .object([
                    .init("h", .int(8)), .init("w", .int(12)), .init("x", .int(index % 2 * 12)), .init("y", .int(index / 2 * 8)),
                ])),
                .init("fieldConfig", .object([
                    .init("defaults", .object([.init("unit", .string(panel.unit))])), .init("overrides", .array([])),
                ])),
                .init("options", .object([
                    .init("legend", .object([
                        .init("displayMode", .string("list")), .init("placement", .string("bottom")),
                        .init("showLegend", .bool(true)),
                    ])),
                    .init("tooltip", .object([.init("mode", .string("multi")), .init("sort", .string("none"))])),
                ])),
                .init("targets", .array(targets)),
            ]))
        }
        let current: JSONValue = scenario.map {
            .object([.init("selected", .bool(true)), .init("text", .string($0)), .init("value", .string($0))])
        } ?? .object([.init("selected", .bool(true)), .init("text", .string("All")), .init("value", .string("$__all"))])
        let variableQuery = "label_values(\(MetricFamily.requests.name), scenario)"
        let templating: [JSONValue] = [
            .object([
                .init("name", .string("DS_PROMETHEUS")), .init("label", .string("Datasource")),
                .init("type", .string("datasource")), .init("query", .string("prometheus")),
                .init("hide", .int(0)), .init("refresh", .int(1)), .init("current", .object([])),
            ]),
            .object([
                .init("name", .string("scenario")), .init("label", .string("Scenario")), .init("type", .string("query")),
                .init("datasource", datasource), .init("definition", .string(variableQuery)),
                .init("query", .object([.init("query", .string(variableQuery)), .init("refId", .string("scenario"))])),
                .init("refresh", .int(2)), .init("includeAll", .bool(true)), .init("multi", .bool(true)),
                .init("allValue", .string(".*")), .init("sort", .int(1)), .init("hide", .int(0)), .init("current", current),
            ]),
        ]
        return .object([
            .init("title", .string(scenario.map { "tierbench: \($0)" } ?? "tierbench")),
            .init("uid", .string("tierbench")), .init("description", .string("tierbench load-test harness (--metrics-port)")),
            .init("tags", .array([.string("tierbench")])), .init("editable", .bool(true)),
            .init("schemaVersion", .int(schemaVersion)), .init("version", .int(1)),
            .init("time", .object([.init("from", .string("now-15m")), .init("to", .string("now"))])),
            .init("refresh", .string("5s")), .init("timezone", .string("browser")),
            .init("annotations", .object([.init("list", .array([]))])),
            .init("templating", .object([.init("list", .array(templating))])),
            .init("panels", .array(panelValues)),
        ])
    }

    /// Every PromQL expression in `dashboard`: the panels' `expr` and the variables' queries.
    public static func expressions(in dashboard: JSONValue) -> [String] {
        var found: [String] = []
        func walk(_ value: JSONValue, key: String?) {
            switch value {
            case .string(let text) where key == "expr" || key == "definition": found.append(text)
            case .array(let items): for item in items { walk(item, key: nil) }
            case .object(let members): for member in members { walk(member.value, key: member.key) }
            default: break
            }
        }
        walk(dashboard, key: nil)
        return found
    }
}
