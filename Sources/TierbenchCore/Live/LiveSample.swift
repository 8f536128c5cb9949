/// The live figures at one moment of a run, as the progress display, `alerts:` and the harness's metrics see them.
///
/// "Interval" figures cover the time since the previous sample (about a second); "total" figures cover the run so
/// far and match the summary's definitions (docs/metrics.md, "Live figures").
public struct LiveSample: Sendable, Hashable {
    /// Seconds since the run started.
    public var elapsedSeconds: Double
    /// Seconds covered by the interval figures.
    public var intervalSeconds: Double
    /// Whether the run is still inside its warmup (measured figures stay empty until it ends).
    public var warmingUp: Bool
    /// Requests finished so far, warmup included, and of them failed and answered 429.
    public var completed: Int
    public var failed: Int
    public var rateLimited: Int
    /// Transfers under way now.
    public var inFlight: Int
    /// Interval: finished requests per second (warmup included).
    public var requestsPerSecond: Double
    /// Interval: failed / finished; nil when nothing finished in the interval.
    public var errorRate: Double?
    /// Interval: 429 responses per second.
    public var rateLimitedPerSecond: Double
    /// Interval: total tokens (prompt + completion) per second of measured requests.
    public var tokensPerSecond: Double
    /// Interval: service-time percentiles of measured successes (ms); nil when none finished in the interval.
    public var latencyP50Ms: Double?
    public var latencyP95Ms: Double?
    public var latencyP99Ms: Double?
    /// Total: measured requests, failed / measured (nil when none), and p95 service time (ms; nil when none).
    public var measured: Int
    public var totalErrorRate: Double?
    public var totalLatencyP95Ms: Double?
    /// Share of the run done (0…1) when the run has a duration or a request count; nil otherwise.
    public var progress: Double?
    /// Seconds left by the duration, or by the request count at the interval's rate; nil when unknown.
    public var etaSeconds: Double?

    /// The figures as a JSON object whose paths `alerts:` expressions name: `requests_per_s`, `error_rate`,
    /// `rate_limited_per_s`, `tokens_per_s`, `in_flight`, `latency_ms.{p50,p95,p99}` (the last interval) and
    /// `total.{requests,error_rate,rate_limited}`, `total.latency_ms.p95` (the run so far). Missing values are left
    /// out, so an expression on them does not hold.
    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [
            .init("elapsed_s", .double(elapsedSeconds)),
            .init("requests_per_s", .double(requestsPerSecond)),
            .init("rate_limited_per_s", .double(rateLimitedPerSecond)),
            .init("tokens_per_s", .double(tokensPerSecond)),
            .init("in_flight", .int(inFlight)),
        ]
        if let errorRate { members.append(.init("error_rate", .double(errorRate))) }
        var latency: [JSONValue.Member] = []
        if let latencyP50Ms { latency.append(.init("p50", .double(latencyP50Ms))) }
        if let latencyP95Ms { latency.append(.init("p95", .double(latencyP95Ms))) }
        if let latencyP99Ms { latency.append(.init("p99", .double(latencyP99Ms))) }
        if !latency.isEmpty { members.append(.init("latency_ms", .object(latency))) }
        var total: [JSONValue.Member] = [
            .init("requests", .int(completed)), .init("failed", .int(failed)), .init("rate_limited", .int(rateLimited)),
        ]
        if let totalErrorRate { total.append(.init("error_rate", .double(totalErrorRate))) }
        if let totalLatencyP95Ms { total.append(.init("latency_ms", .object([.init("p95", .double(totalLatencyP95Ms))]))) }
        members.append(.init("total", .object(total)))
        return .object(members)
    }
}
