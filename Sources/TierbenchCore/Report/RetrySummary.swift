/// The `retries` block of `summary.json`: attempts, retries by cause, time spent backing off, the latency of whole
/// requests beside that of their final attempt, and error rates per attempt and per final outcome.
///
/// Every figure covers measured requests only (docs/metrics.md, "Retries"). Without retries `attempts = total`,
/// `retries = 0`, `request_latency_ms` equals `final_attempt_latency_ms` and both error rates equal `error_rate`.
public struct RetrySummary: Codable, Sendable, Hashable {
    /// Σ attempts of measured requests.
    public var attempts: Int
    /// Retried attempts: `attempts − total`.
    public var retries: Int
    /// Measured requests that needed more than one attempt.
    public var retriedRequests: Int
    /// Retried attempts by the error class of their failure, e.g. `{"http_429": 12, "timeout": 1}`; Σ = `retries`.
    public var byCause: [String: Int]
    /// Attempts that failed: `attempts − succeeded` (only a request's final attempt can succeed).
    public var failedAttempts: Int
    /// `failed_attempts / attempts`: what a client without retries would see per call.
    public var attemptErrorRate: Double
    /// Measured requests whose first attempt failed, over `total`.
    public var firstAttemptErrorRate: Double
    /// `failed / total` after retries (the same as the top-level `error_rate`).
    public var finalErrorRate: Double
    /// Σ time spent backing off (ms): from each failed attempt's end to the start of its retry.
    public var backoffTotalMs: Double
    /// Backoff per retried request (ms), one value per measured request with attempts > 1.
    public var backoffMs: DurationStats
    /// Whole request, retries included: `t_end − t_first_send` of measured successes.
    public var requestLatencyMs: DurationStats
    /// Final attempt only: `t_end − t_send` of measured successes (the same as the top-level `latency_ms`).
    public var finalAttemptLatencyMs: DurationStats
    /// Mergeable histograms (µs) of `request_latency_ms` and `backoff_ms`.
    public var histograms: Histograms

    /// The histograms behind `request_latency_ms` and `backoff_ms`.
    public struct Histograms: Codable, Sendable, Hashable {
        public var requestLatency: HistogramSnapshot
        public var backoff: HistogramSnapshot

        enum CodingKeys: String, CodingKey {
            case backoff
            case requestLatency = "request_latency"
        }
    }

    enum CodingKeys: String, CodingKey {
        case attempts, retries, histograms
        case retriedRequests = "retried_requests", byCause = "by_cause", failedAttempts = "failed_attempts"
        case attemptErrorRate = "attempt_error_rate", firstAttemptErrorRate = "first_attempt_error_rate"
        case finalErrorRate = "final_error_rate", backoffTotalMs = "backoff_total_ms", backoffMs = "backoff_ms"
        case requestLatencyMs = "request_latency_ms", finalAttemptLatencyMs = "final_attempt_latency_ms"
    }

    /// The block for `recorder`'s measured requests.
    public init(_ recorder: MetricsRecorder) {
        func rate(_ count: Int, _ total: Int) -> Double {
            total > 0 ? (Double(count) / Double(total) * 1e6).rounded() / 1e6 : 0
        }
        attempts = recorder.attempts
        retries = max(0, recorder.attempts - recorder.total)
        retriedRequests = recorder.retriedRequests
        byCause = recorder.retryCauses.byLabel
        failedAttempts = max(0, recorder.attempts - recorder.succeeded)
        attemptErrorRate = rate(failedAttempts, recorder.attempts)
        firstAttemptErrorRate = rate(recorder.firstAttemptFailures, recorder.total)
        finalErrorRate = rate(recorder.failed, recorder.total)
        backoffTotalMs = (Double(recorder.backoffTotalNanos) / 1e3).rounded() / 1e3
        backoffMs = DurationStats(recorder.backoff)
        requestLatencyMs = DurationStats(recorder.requestLatency)
        finalAttemptLatencyMs = DurationStats(recorder.latency)
        histograms = Histograms(
            requestLatency: HistogramSnapshot(recorder.requestLatency.histogram),
            backoff: HistogramSnapshot(recorder.backoff.histogram))
    }
}
