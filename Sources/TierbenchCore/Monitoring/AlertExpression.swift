import Foundation

/// One `alerts:` metric (`AlertRule.metrics`) as PromQL over the served families, and the input series that give it
/// a chosen value in a `promtool test rules` file (docs/monitoring.md, "Alert rules").
///
/// Windowed live figures (`requests_per_s`, `error_rate`, `latency_ms.p95`, …) become rates over `window`; `total.*`
/// figures read the cumulative counters. Counters cover measured requests (the warmup rule of `MetricFamily`), but
/// the in-run `requests_per_s` and `total.requests` count warmup requests too, so those two add
/// `tierbench_warmup_requests_total` and match the in-run figure. The in-run `error_rate`, `rate_limited_per_s`,
/// `total.failed` and `total.rate_limited` include warmup failures and 429s, which no series serves: their rules
/// read measured requests only and differ from the in-run figure during the warmup (docs/monitoring.md).
public enum AlertExpression: Sendable {
    /// The per-second rate of a counter family (summed over its labels).
    case rate(MetricFamily)
    /// Requests finished, measured and warmup (the in-run `completed`): per second over the window, or since the
    /// start (`total`).
    case allRequests(total: Bool)
    /// Failed / all measured requests over the window (`total`: since the start).
    case errorRatio(total: Bool)
    /// A gauge's current value.
    case gauge(MetricFamily)
    /// A counter's value, optionally restricted to one label value.
    case count(MetricFamily, label: (String, String)?)
    /// A latency percentile in ms from the latency histogram over the window (`total`: since the start).
    case latencyQuantile(Double, total: Bool)

    /// The expression for `metric`, or nil when it is not an alert metric.
    public static func of(metric: String) -> AlertExpression? {
        switch metric {
        case "requests_per_s": return .allRequests(total: false)
        case "error_rate": return .errorRatio(total: false)
        case "rate_limited_per_s": return .rate(.rateLimited)
        case "tokens_per_s": return .rate(.tokens)
        case "in_flight": return .gauge(.inFlight)
        case "latency_ms.p50": return .latencyQuantile(0.5, total: false)
        case "latency_ms.p95": return .latencyQuantile(0.95, total: false)
        case "latency_ms.p99": return .latencyQuantile(0.99, total: false)
        case "total.requests": return .allRequests(total: true)
        case "total.failed": return .count(.requests, label: ("outcome", "failure"))
        case "total.rate_limited": return .count(.rateLimited, label: nil)
        case "total.error_rate": return .errorRatio(total: true)
        case "total.latency_ms.p95": return .latencyQuantile(0.95, total: true)
        default: return nil
        }
    }

    /// A ratio stays within 0…1; other figures are only bounded below by 0.
    public var isRatio: Bool {
        if case .errorRatio = self { return true }
        return false
    }

    /// Whether the figure is a counter's per-second rate (it reads low while the window is not yet full).
    public var isPureRate: Bool {
        switch self {
        case .rate, .allRequests(total: false): return true
        default: return false
        }
    }

    /// Whether the figure is a count (integers), so `==` and `!=` compare meaningfully.
    public var isCount: Bool {
        switch self {
        case .gauge, .count, .allRequests(total: true): return true
        default: return false
        }
    }

    /// The PromQL expression for the figure (no comparison).
    public func promQL(scenario: String, window: String) -> String {
        let s = PromQL.Selector.name(scenario)
        let failure = [("outcome", "failure")]
        switch self {
        case .rate(let family):
            return PromQL.rate(family, s, window: window)
        case .allRequests(let total):
            if total {
                return "sum(\(MetricFamily.requests.name)\(PromQL.selector(scenario: s))) + "
                    + "sum(\(MetricFamily.warmupRequests.name)\(PromQL.selector(scenario: s)))"
            }
            return PromQL.rate(.requests, s, window: window) + " + " + PromQL.rate(.warmupRequests, s, window: window)
        case .errorRatio(let total):
            if total {
                return "sum(\(MetricFamily.requests.name)\(PromQL.selector(scenario: s, failure))) / "
                    + "sum(\(MetricFamily.requests.name)\(PromQL.selector(scenario: s)))"
            }
            return PromQL.rate(.requests, s, window: window, where: failure) + " / "
                + PromQL.rate(.requests, s, window: window)
        case .gauge(let family):
            return PromQL.gauge(family, s)
        case .count(let family, let label):
            return "sum(\(family.name)\(PromQL.selector(scenario: s, label.map { [$0] } ?? [])))"
        case .latencyQuantile(let quantile, let total):
            let name = MetricFamily.latency.name + "_bucket" + PromQL.selector(scenario: s)
            let inner = total ? name : "rate(\(name)[\(window)])"
            return "histogram_quantile(\(ReportNumber.plain(quantile)), sum by (le) (\(inner))) * 1000"
        }
    }

    /// Input series (series selector, expanding-notation values) over `steps` samples that give the figure about
    /// `value`: exactly for counts, rates and ratios; for percentiles, counts on the served latency bucket bounds
    /// whose `histogram_quantile` is `value` when `value` came from `HistogramQuantileInput` (as
    /// `PromtoolRuleTest.value` does), else the nearest such value.
    public func inputSeries(value: Double, scenario: String, interval: Double, steps: Int) -> [(String, String)] {
        let s = PromQL.Selector.name(scenario)
        func series(_ family: String, _ labels: [(String, String)] = []) -> String {
            family + PromQL.selector(scenario: s, labels)
        }
        func rising(_ perStep: Double) -> String { "0+\(Self.decimal(perStep))x\(steps)" }
        func flat(_ level: Double) -> String { "\(Self.decimal(level))+0x\(steps)" }
        switch self {
        case .rate(let family):
            let labels: [(String, String)] = family == .requests
                ? [("outcome", "success")] : family == .tokens ? [("kind", "completion")] : []
            return [(series(family.name, labels), rising(value * interval))]
        case .allRequests(let total):
            // Part of the value measured, part warmup, so the sum of both series is tested.
            let warmup = total ? (value / 2).rounded(.down) : value / 2
            let make: (Double) -> String = total ? { flat($0) } : { rising($0 * interval) }
            return [
                (series(MetricFamily.requests.name, [("outcome", "success")]), make(value - warmup)),
                (series(MetricFamily.warmupRequests.name), make(warmup)),
            ]
        case .errorRatio(let total):
            let requests = MetricFamily.requests.name
            let make: (Double) -> String = total ? { flat($0) } : { rising($0) }
            return [
                (series(requests, [("outcome", "success")]), make((1 - value) * 1000)),
                (series(requests, [("outcome", "failure")]), make(value * 1000)),
            ]
        case .gauge(let family):
            return [(series(family.name), flat(value))]
        case .count(let family, let label):
            return [(series(family.name, label.map { [$0] } ?? []), flat(value))]
        case .latencyQuantile(let quantile, let total):
            // Counts on the bounds the harness serves, chosen so that histogram_quantile gives `value` (or the
            // nearest value such counts can give).
            let bounds = MetricFamily.latency.bucketsSeconds
            guard let input = HistogramQuantileInput.nearest(quantile, bounds: bounds, valueMs: value) else { return [] }
            let make: (Double) -> String = total ? { flat($0) } : { rising($0) }
            let bucket = MetricFamily.latency.name + "_bucket"
            var inputs: [(String, String)] = []
            for (index, count) in input.cumulative.enumerated() {
                let le = index < bounds.count ? MetricFamily.boundLabel(bounds[index]) : "+Inf"
                inputs.append((series(bucket, [("le", le)]), make(Double(count))))
            }
            return inputs
        }
    }

    /// A limit as written in an `expr:`: exact (integers without a fraction, others in Swift's shortest round-trip
    /// form, `1e-10` stays `1e-10`).
    static func exact(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// An input value: 12 significant digits (so 0.0525 × 1000 reads 52.5, not 52.500000000000014), then exact;
    /// relative, so a tiny value is never rounded to 0.
    static func decimal(_ value: Double) -> String {
        exact(Double(String(format: "%.12g", value)) ?? value)
    }
}
