/// One metric family the harness serves on `--metrics-port` (docs/monitoring.md): its name, Prometheus type, help
/// text and labels. The exposition, the Grafana dashboard and the alert-rule translation all name metrics through
/// the constants below, so neither export can name a metric the harness does not serve.
///
/// Rule for warmup: every counter and histogram covers **measured** requests only (the summary's `requests.total`
/// and friends); requests that started during the warmup count only in `tierbench_warmup_requests_total`.
public struct MetricFamily: Sendable, Hashable {
    /// The Prometheus type, as `# TYPE` writes it.
    public enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    public let name: String
    public let kind: Kind
    public let help: String
    /// Labels besides `scenario` (which every series carries).
    public let labels: [String]
    /// Histograms only: the upper bounds of the buckets, in seconds (`+Inf` added when rendered).
    public let bucketsSeconds: [Double]

    public init(_ name: String, _ kind: Kind, _ help: String, labels: [String] = [], buckets: [Double] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.labels = labels
        self.bucketsSeconds = buckets
    }

    /// The series names this family puts on the wire: the name itself, or `_bucket`, `_sum`, `_count` of a histogram.
    public var seriesNames: [String] {
        kind == .histogram ? [name + "_bucket", name + "_sum", name + "_count"] : [name]
    }

    /// A bucket bound as its `le` label: exact (integers without a fraction, others in Swift's shortest
    /// round-trip form), so the label reads back as the very bound.
    public static func boundLabel(_ bound: Double) -> String {
        if bound == bound.rounded(), abs(bound) < 1e15 { return String(Int64(bound)) }
        return "\(bound)"
    }

    // MARK: The families, in the order a scrape lists them

    public static let requests = MetricFamily(
        "tierbench_requests_total", .counter, "Measured requests finished, by outcome (success or failure).",
        labels: ["outcome"])
    public static let warmupRequests = MetricFamily(
        "tierbench_warmup_requests_total", .counter,
        "Requests that started during the warmup and are left out of every other figure.")
    public static let rateLimited = MetricFamily(
        "tierbench_rate_limited_total", .counter, "Measured requests answered HTTP 429 (after any retries).")
    public static let errors = MetricFamily(
        "tierbench_errors_total", .counter, "Measured failed requests by error class.", labels: ["class"])
    public static let attempts = MetricFamily(
        "tierbench_attempts_total", .counter, "Attempts made by measured requests, retries included.")
    public static let tokens = MetricFamily(
        "tierbench_tokens_total", .counter, "Tokens in the usage of measured responses, by kind (prompt, completion).",
        labels: ["kind"])
    public static let cachedPromptTokens = MetricFamily(
        "tierbench_cached_prompt_tokens_total", .counter,
        "Prompt tokens served from the prompt cache (part of tokens_total{kind=\"prompt\"}).")
    public static let cost = MetricFamily(
        "tierbench_cost_usd_total", .counter,
        "Cost in USD of the measured responses' usage at the run's price (served only when the model has a price).")
    public static let inFlight = MetricFamily("tierbench_in_flight", .gauge, "Transfers under way.")
    public static let sessionsActive = MetricFamily(
        "tierbench_sessions_active", .gauge, "Sessions (multi-turn conversations) started and not yet ended.")
    public static let sessionsStarted = MetricFamily(
        "tierbench_sessions_started_total", .counter, "Sessions started.")
    public static let sessions = MetricFamily(
        "tierbench_sessions_total", .counter, "Sessions ended, by outcome.", labels: ["outcome"])
    public static let latency = MetricFamily(
        "tierbench_latency_seconds", .histogram, "Service time of measured successful requests.",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120])
    public static let timeToFirstToken = MetricFamily(
        "tierbench_ttft_seconds", .histogram, "Time to first token of measured successful streaming requests.",
        buckets: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10])
    public static let interTokenLatency = MetricFamily(
        "tierbench_itl_seconds", .histogram, "Gaps between consecutive content chunks of measured streams.",
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5])
    public static let sendLateness = MetricFamily(
        "tierbench_send_lateness_seconds", .histogram,
        "How late the generator sent each measured request after its intended time.",
        buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5])

    /// Every family, in the order of a scrape.
    public static let all: [MetricFamily] = [
        requests, warmupRequests, rateLimited, errors, attempts, tokens, cachedPromptTokens, cost, inFlight,
        sessionsActive, sessionsStarted, sessions, latency, timeToFirstToken, interTokenLatency, sendLateness,
    ]

    /// Every series name the harness can serve (histograms as `_bucket`, `_sum`, `_count`).
    public static let servedSeriesNames: Set<String> = Set(all.flatMap(\.seriesNames))
}
