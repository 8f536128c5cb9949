/// Everything a run measures, recorded by one load thread and merged at the end.
///
/// `record(_:)` is O(1) and does not allocate: histograms and counters are fixed-size and owned by the value.
/// Each load thread owns one recorder; the engine merges them with `merge(_:)` before building a `RunSummary`.
///
/// Which requests count (docs/metrics.md): a request that started before the warmup ended (`warmup == true`) is
/// only counted in `warmupExcluded` and the time series. Every other request is *measured*: it counts in
/// `total` and in `succeeded` or `failed`. Latency, response time, TTFT and TPOT histograms hold measured
/// *successes*; send lateness holds every measured request, because lateness is the generator's, not the server's.
/// Retries: `attempts`, `retryCauses` and the backoff histogram count every retried attempt of measured requests;
/// failed attempts = `attempts − succeeded`, since only the final attempt of a request can succeed.
public struct MetricsRecorder: Sendable {
    /// A send more than this late (ns) counts in `lateSends`: 1 ms.
    public static let lateSendThresholdNanos: UInt64 = 1_000_000

    /// Service time of the final attempt `end − actualStart` of measured successes.
    public private(set) var latency = DurationHistogram()
    /// Latency of the whole request, retries and backoff included, `end − firstStart` of measured successes.
    public private(set) var requestLatency = DurationHistogram()
    /// Time spent backing off between attempts, one value per measured request that was retried.
    public private(set) var backoff = DurationHistogram()
    /// Response time `end − intendedStart` of measured successes (equals latency in a closed loop).
    public private(set) var responseTime = DurationHistogram()
    /// Send lateness `firstStart − intendedStart` of every measured request.
    public private(set) var sendLateness = DurationHistogram()
    /// Streaming time to first token `firstTokenAt − actualStart` of measured successes.
    public private(set) var timeToFirstToken = DurationHistogram()
    /// Streaming gaps between consecutive content chunks, fed by `recordInterTokenGap(_:)`.
    public private(set) var interTokenLatency = DurationHistogram()
    /// Streaming time per output token `(end − firstTokenAt) / (completion tokens − 1)` of measured successes.
    public private(set) var timePerOutputToken = DurationHistogram()

    /// Measured requests finished (succeeded + failed).
    public private(set) var total = 0
    /// Measured requests that succeeded.
    public private(set) var succeeded = 0
    /// Measured requests that failed (any error class).
    public private(set) var failed = 0
    /// Requests that started during the warmup and were left out of every statistic.
    public private(set) var warmupExcluded = 0
    /// Measured failures by class.
    public private(set) var errors = ErrorClassCounts()
    /// Measured responses by HTTP status (requests without a response are not counted here).
    public private(set) var statuses = StatusCounts()
    /// Prompts carried by measured requests.
    public private(set) var prompts = 0
    /// Prompts carried by measured successes.
    public private(set) var promptsSucceeded = 0
    /// Token usage summed over measured requests whose response reported it.
    public private(set) var usage = TokenUsage.zero
    /// Measured requests whose response reported usage.
    public private(set) var responsesWithUsage = 0
    /// Bytes sent and received by measured requests.
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0
    /// Attempts made by measured requests (equals `total` without retries).
    public private(set) var attempts = 0
    /// Measured requests that needed more than one attempt.
    public private(set) var retriedRequests = 0
    /// Measured requests whose first attempt failed (retried, or failed with one attempt).
    public private(set) var firstAttemptFailures = 0
    /// Retried attempts of measured requests by the class of their failure (Σ = `attempts − total`).
    public private(set) var retryCauses = ErrorClassCounts()
    /// Backoff summed over measured requests (ns).
    public private(set) var backoffTotalNanos: UInt64 = 0
    /// Measured requests sent more than `lateSendThresholdNanos` after their intended time.
    public private(set) var lateSends = 0
    /// Of `lateSends`, those that waited for a free slot: every `max_in_flight` slot was busy at the intended time
    /// (the server's pace, not the generator's lag).
    public private(set) var heldSends = 0
    /// Open loop: intended sends never made because the run's duration ended while they waited (for a slot or for
    /// the client throttle), or because the backlog of due sends was full.
    public private(set) var droppedSends = 0
    /// Of `droppedSends`, those the client throttle held (a slot was free): not the concurrency limit's doing.
    public private(set) var throttledDrops = 0
    /// Measured streaming requests (those with a first content chunk) and the content chunks they received.
    public private(set) var streamedRequests = 0
    public private(set) var outputChunks = 0
    /// Sums of libcurl's cumulative phase times over measured successes (µs); divide by `succeeded` for means.
    public private(set) var phaseSums = PhaseTimings()
    /// Measured successes that opened a new connection (connect time > 0).
    public private(set) var newConnections = 0
    /// Earliest and latest first-attempt send of a measured request (ns since run start); nil when none.
    public private(set) var firstSend: UInt64?
    public private(set) var lastSend: UInt64?
    /// Send lateness (`t_first_send − t_int`, ns) of the request sent first (`firstSend`); nil when none.
    public private(set) var firstSendLateness: UInt64?
    /// Earliest and latest completion of a measured request (ns since run start); nil when none.
    public private(set) var firstCompletion: UInt64?
    public private(set) var lastCompletion: UInt64?
    /// Per-bucket counts over the whole run, warmup included.
    public private(set) var timeSeries: RequestTimeSeries

    /// An empty recorder; `timeSeriesBuckets` bounds the time series' memory.
    public init(timeSeriesBuckets: Int = 1024) {
        timeSeries = RequestTimeSeries(capacity: timeSeriesBuckets)
    }

    /// Records one finished request.
    public mutating func record(_ outcome: RequestOutcome) {
        let service = outcome.serviceTime
        let failedRequest = !outcome.succeeded
        timeSeries.record(
            end: outcome.end, failed: failedRequest, status: outcome.status,
            serviceMicros: (service &+ 500) / 1_000)
        guard !outcome.warmup else {
            warmupExcluded &+= 1
            return
        }
        total &+= 1
        statuses.add(outcome.status)
        prompts &+= outcome.prompts
        bytesSent &+= outcome.bytesSent
        bytesReceived &+= outcome.bytesReceived
        attempts &+= outcome.attempts
        if outcome.attempts > 1 {
            retriedRequests &+= 1
            backoff.record(nanoseconds: outcome.backoff)
            backoffTotalNanos &+= outcome.backoff
            for cause in outcome.retryCauses { retryCauses.add(cause) }
        }
        if outcome.attempts > 1 || !outcome.succeeded { firstAttemptFailures &+= 1 }
        if let usage = outcome.usage {
            self.usage += usage
            responsesWithUsage &+= 1
        }
        let lateness = outcome.sendLateness
        sendLateness.record(nanoseconds: lateness)
        if lateness > Self.lateSendThresholdNanos {
            lateSends &+= 1
            if outcome.heldForSlot { heldSends &+= 1 }
        }
        if outcome.firstStart < (firstSend ?? .max) { firstSendLateness = lateness }
        firstSend = min(firstSend ?? .max, outcome.firstStart)
        lastSend = max(lastSend ?? 0, outcome.firstStart)
        firstCompletion = min(firstCompletion ?? .max, outcome.end)
        lastCompletion = max(lastCompletion ?? 0, outcome.end)
        if outcome.firstTokenAt != nil {
            streamedRequests &+= 1
            outputChunks &+= outcome.outputChunks
        }
        if let errorClass = outcome.errorClass {
            failed &+= 1
            errors.add(errorClass)
            return
        }
        succeeded &+= 1
        promptsSucceeded &+= outcome.prompts
        latency.record(nanoseconds: service)
        requestLatency.record(nanoseconds: outcome.requestLatency)
        responseTime.record(nanoseconds: outcome.responseTime)
        if let ttft = outcome.timeToFirstToken { timeToFirstToken.record(nanoseconds: ttft) }
        if let tpot = outcome.timePerOutputToken { timePerOutputToken.record(nanoseconds: tpot) }
        let timings = outcome.timings
        phaseSums.dns &+= timings.dns
        phaseSums.connect &+= timings.connect
        phaseSums.tls &+= timings.tls
        phaseSums.firstByte &+= timings.firstByte
        phaseSums.total &+= timings.total
        if timings.connect > 0 { newConnections &+= 1 }
    }

    /// Records one gap (ns) between consecutive content chunks of a measured streaming request.
    ///
    /// Call it as chunks arrive, only for requests that are not warmup. A chunk carrying several tokens is one
    /// gap: ITL measures what a reader sees; TPOT (per request) divides by tokens instead.
    @inline(__always)
    public mutating func recordInterTokenGap(_ nanoseconds: UInt64) {
        interTokenLatency.record(nanoseconds: nanoseconds)
    }

    /// Adds everything `other` recorded (histograms added bucket by bucket, counters summed, times min/max'd).
    /// Counts `count` intended sends dropped (open loop); `throttled` when the client throttle held them.
    public mutating func noteDropped(_ count: Int, throttled: Bool = false) {
        droppedSends &+= max(0, count)
        if throttled { throttledDrops &+= max(0, count) }
    }

    public mutating func merge(_ other: MetricsRecorder) {
        latency.merge(other.latency)
        requestLatency.merge(other.requestLatency)
        backoff.merge(other.backoff)
        responseTime.merge(other.responseTime)
        sendLateness.merge(other.sendLateness)
        timeToFirstToken.merge(other.timeToFirstToken)
        interTokenLatency.merge(other.interTokenLatency)
        timePerOutputToken.merge(other.timePerOutputToken)
        total &+= other.total
        succeeded &+= other.succeeded
        failed &+= other.failed
        warmupExcluded &+= other.warmupExcluded
        errors.merge(other.errors)
        statuses.merge(other.statuses)
        prompts &+= other.prompts
        promptsSucceeded &+= other.promptsSucceeded
        usage += other.usage
        responsesWithUsage &+= other.responsesWithUsage
        bytesSent &+= other.bytesSent
        bytesReceived &+= other.bytesReceived
        attempts &+= other.attempts
        retriedRequests &+= other.retriedRequests
        firstAttemptFailures &+= other.firstAttemptFailures
        retryCauses.merge(other.retryCauses)
        backoffTotalNanos &+= other.backoffTotalNanos
        lateSends &+= other.lateSends
        heldSends &+= other.heldSends
        droppedSends &+= other.droppedSends
        throttledDrops &+= other.throttledDrops
        streamedRequests &+= other.streamedRequests
        outputChunks &+= other.outputChunks
        phaseSums.dns &+= other.phaseSums.dns
        phaseSums.connect &+= other.phaseSums.connect
        phaseSums.tls &+= other.phaseSums.tls
        phaseSums.firstByte &+= other.phaseSums.firstByte
        phaseSums.total &+= other.phaseSums.total
        newConnections &+= other.newConnections
        if let theirs = other.firstSend, theirs < (firstSend ?? .max) { firstSendLateness = other.firstSendLateness }
        firstSend = Self.earliest(firstSend, other.firstSend)
        lastSend = Self.latest(lastSend, other.lastSend)
        firstCompletion = Self.earliest(firstCompletion, other.firstCompletion)
        lastCompletion = Self.latest(lastCompletion, other.lastCompletion)
        timeSeries.merge(other.timeSeries)
    }

    private static func earliest(_ lhs: UInt64?, _ rhs: UInt64?) -> UInt64? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return min(lhs, rhs)
    }

    private static func latest(_ lhs: UInt64?, _ rhs: UInt64?) -> UInt64? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return max(lhs, rhs)
    }
}
