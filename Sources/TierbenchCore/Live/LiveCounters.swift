/// What one load thread has measured so far, published a few times a second for live displays, alerts and the
/// harness's Prometheus endpoint. Cumulative since the run's start; merge the threads' counters with `merge(_:)`.
///
/// `completed`, `failed` and `rateLimited` include warmup requests (a live display shows every request); the
/// `measured*`, `errors`, `statuses`, `usage`, `attempts` and histogram figures cover measured requests only, as in
/// the summary, and `warmup` counts the requests left out as warmup.
public struct LiveCounters: Sendable {
    /// Requests finished, warmup included.
    public var completed = 0
    /// Requests finished that failed, warmup included.
    public var failed = 0
    /// HTTP 429 responses, warmup included.
    public var rateLimited = 0
    /// Measured requests finished and, of them, failed.
    public var measured = 0
    public var measuredFailed = 0
    /// Measured failures by class, and measured responses by HTTP status.
    public var errors = ErrorClassCounts()
    public var statuses = StatusCounts()
    /// Token usage of measured requests.
    public var usage = TokenUsage.zero
    /// Attempts made by measured requests.
    public var attempts = 0
    /// Requests that started during the warmup (left out of every measured figure).
    public var warmup = 0
    /// Service time of measured successes (µs histogram).
    public var latency = DurationHistogram()
    /// Streaming time to first token of measured successes, gaps between content chunks of measured streams, and
    /// send lateness of every measured request (µs histograms, as in `MetricsRecorder`).
    public var timeToFirstToken = DurationHistogram()
    public var interTokenLatency = DurationHistogram()
    public var sendLateness = DurationHistogram()
    /// Transfers under way right now (a gauge, not cumulative).
    public var inFlight = 0
    /// Sessions (multi-turn conversations) under way right now: started and not yet ended (a gauge). Zero without
    /// `sessions:` in the scenario.
    public var sessionsActive = 0
    /// Sessions started so far, and those ended by outcome (cumulative).
    public var sessionsStarted = 0
    public var sessionOutcomes = SessionOutcomeCounts()

    public init() {}

    /// The counters of `recorder` with `inFlight` transfers under way.
    public init(recorder: MetricsRecorder, inFlight: Int) {
        let series = recorder.timeSeries
        if series.lastUsed >= 0 {
            for bucket in 0...series.lastUsed {
                completed &+= series.requests[bucket]
                failed &+= series.errors[bucket]
                rateLimited &+= series.rateLimited[bucket]
            }
        }
        measured = recorder.total
        measuredFailed = recorder.failed
        errors = recorder.errors
        statuses = recorder.statuses
        usage = recorder.usage
        attempts = recorder.attempts
        latency = recorder.latency
        warmup = recorder.warmupExcluded
        timeToFirstToken = recorder.timeToFirstToken
        interTokenLatency = recorder.interTokenLatency
        sendLateness = recorder.sendLateness
        self.inFlight = inFlight
    }

    /// Measured requests that succeeded.
    public var measuredSucceeded: Int { measured - measuredFailed }

    /// Adds another thread's counters.
    public mutating func merge(_ other: LiveCounters) {
        completed &+= other.completed
        failed &+= other.failed
        rateLimited &+= other.rateLimited
        measured &+= other.measured
        measuredFailed &+= other.measuredFailed
        errors.merge(other.errors)
        statuses.merge(other.statuses)
        usage += other.usage
        attempts &+= other.attempts
        latency.merge(other.latency)
        warmup &+= other.warmup
        timeToFirstToken.merge(other.timeToFirstToken)
        interTokenLatency.merge(other.interTokenLatency)
        sendLateness.merge(other.sendLateness)
        inFlight &+= other.inFlight
        sessionsActive &+= other.sessionsActive
        sessionsStarted &+= other.sessionsStarted
        sessionOutcomes.merge(other.sessionOutcomes)
    }
}
