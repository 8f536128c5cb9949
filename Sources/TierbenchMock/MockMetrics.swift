import Prometheus
import Synchronization

/// The Prometheus metrics served at `GET /metrics` (swift-prometheus text format). Counters are monotonic: a stats
/// reset does not reset them.
final class MockMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let tier: String
    private let requestCounters = Mutex<[Int: Counter]>([:])
    private let rateLimitedCounters: [String: Counter]
    private let promptTokens: Counter
    private let completionTokens: Counter
    private let inFlight: Gauge
    private let latency: [DurationHistogram]
    private let batchGauges: [String: Gauge]
    private let batchLineCounters: [String: Counter]
    private let filesCounter: Counter
    private let scheduledWrites: Counter
    private let lateWrites: Counter
    /// Schedule-lag totals already added to the counters.
    private let reportedLag = Mutex((writes: 0, late: 0))
    /// Totals already added to the counters (they only grow).
    private let reportedBatchTotals = Mutex(BatchCounters())

    /// Latency buckets in seconds: 1 ms … 60 s.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60),
    ]

    /// `BatchStatus` raw values (this file keeps clear of TierbenchCore, whose `DurationHistogram` clashes).
    static let batchStatuses = [
        "validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling", "cancelled",
    ]

    init(tier: String?) {
        let tier = tier ?? "none"
        self.tier = tier
        let registry = self.registry
        let rateLimited = MetricNameDescriptor(
            namespace: "tierbench_mock", metricName: "rate_limited", unitName: "total",
            helpText: "429 responses by type (requests, tokens, insufficient_quota)")
        var counters: [String: Counter] = [:]
        for type in ["requests", "tokens", "insufficient_quota"] {
            counters[type] = registry.makeCounter(descriptor: rateLimited, labels: [("type", type), ("tier", tier)])
        }
        self.rateLimitedCounters = counters
        let tokens = MetricNameDescriptor(
            namespace: "tierbench_mock", metricName: "tokens", unitName: "total",
            helpText: "Tokens reported in usage, by kind")
        self.promptTokens = registry.makeCounter(descriptor: tokens, labels: [("kind", "prompt"), ("tier", tier)])
        self.completionTokens = registry.makeCounter(
            descriptor: tokens, labels: [("kind", "completion"), ("tier", tier)])
        self.inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "tierbench_mock", metricName: "in_flight", unitName: "requests",
                helpText: "Requests being handled"))
        let latencyName = MetricNameDescriptor(
            namespace: "tierbench_mock", metricName: "request_duration", unitName: "seconds",
            helpText: "Time from request to response head, by route")
        let batchesName = MetricNameDescriptor(
            namespace: "tierbench_mock", metricName: "batches", helpText: "Batches by current status")
        self.batchGauges = Dictionary(uniqueKeysWithValues: Self.batchStatuses.map { status in
            (status, registry.makeGauge(descriptor: batchesName, labels: [("status", status)]))
        })
        let linesName = MetricNameDescriptor(
            namespace: "tierbench_mock", metricName: "batch_lines", unitName: "total",
            helpText: "Batch lines by outcome (ok, failed, expired)")
        self.batchLineCounters = Dictionary(uniqueKeysWithValues: ["ok", "failed", "expired"].map { outcome in
            (outcome, registry.makeCounter(descriptor: linesName, labels: [("outcome", outcome)]))
        })
        self.filesCounter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tierbench_mock", metricName: "files", unitName: "total", helpText: "Files uploaded"))
        self.scheduledWrites = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tierbench_mock", metricName: "scheduled_writes", unitName: "total",
                helpText: "Writes made at a planned time: stream chunks and delayed responses"))
        self.lateWrites = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tierbench_mock", metricName: "late_writes", unitName: "total",
                helpText: "Scheduled writes more than 1 ms late against their planned time"))
        self.latency = MockRoute.labels.map { route in
            registry.makeDurationHistogram(
                descriptor: latencyName, labels: [("route", route), ("tier", tier)], buckets: Self.latencyBuckets)
        }
    }

    /// Counts one response.
    func recordRequest(route: MockRoute, status: Int, durationNanoseconds: Int64) {
        let key = route.labelIndex << 16 | status
        let counter =
            requestCounters.withLock { $0[key] }
            ?? {
                let made = registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "tierbench_mock", metricName: "requests", unitName: "total",
                        helpText: "Requests by route, status and tier"),
                    labels: [("route", route.label), ("status", String(status)), ("tier", tier)])
                requestCounters.withLock { $0[key] = made }
                return made
            }()
        counter.increment()
        latency[route.labelIndex].recordNanoseconds(durationNanoseconds)
    }

    func recordRateLimited(type: String) {
        rateLimitedCounters[type]?.increment()
    }

    func recordTokens(prompt: Int, completion: Int) {
        if prompt > 0 { promptTokens.increment(by: Int64(prompt)) }
        if completion > 0 { completionTokens.increment(by: Int64(completion)) }
    }

    func requestStarted() { inFlight.increment() }
    func requestFinished() { inFlight.decrement() }

    /// Sets the batch gauges and adds what the batch counters have not counted yet.
    func updateBatches(totals: BatchCounters, byStatus: [String: Int]) {
        for (status, gauge) in batchGauges { gauge.set(Int64(byStatus[status] ?? 0)) }
        // What is not counted yet, decided under the lock; the reported values only move forward, so a scrape with
        // older totals (concurrent scrapes) neither goes backwards nor counts anything twice.
        let added = reportedBatchTotals.withLock { reported in reported.advance(to: totals) }
        func add(_ counter: Counter?, _ count: Int) {
            if count > 0 { counter?.increment(by: Int64(count)) }
        }
        add(batchLineCounters["ok"], added.linesSucceeded)
        add(batchLineCounters["failed"], added.linesFailed)
        add(batchLineCounters["expired"], added.linesExpired)
        add(filesCounter, added.filesUploaded)
    }

    /// Brings the schedule-lag counters up to lifetime totals `writes` and `late` (they only move forward).
    func updateScheduleLag(writes: Int, late: Int) {
        let added = reportedLag.withLock { reported -> (Int, Int) in
            let added = (max(0, writes - reported.writes), max(0, late - reported.late))
            reported = (max(writes, reported.writes), max(late, reported.late))
            return added
        }
        if added.0 > 0 { scheduledWrites.increment(by: Int64(added.0)) }
        if added.1 > 0 { lateWrites.increment(by: Int64(added.1)) }
    }

    /// The exposition text.
    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }
}
