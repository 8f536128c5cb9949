/// The counters of a run in progress, copied from a load thread's `MetricsRecorder` a few times a second so
/// `abort_on_fail` can judge thresholds without touching the recorder (which belongs to its load thread).
///
/// Only counters are kept (no histograms): the sound abort rules (`ThresholdEvaluator.canStillPass`) need nothing
/// else, and a copy stays cheap.
public struct LiveCounters: Sendable, Hashable {
    /// Measured requests finished, succeeded and failed (warmup excluded, as in summary.json).
    public var total = 0
    public var succeeded = 0
    public var failed = 0
    public var statuses = StatusCounts()
    public var errors = ErrorClassCounts()
    public var usage = TokenUsage.zero

    public init() {}

    /// The counters of `recorder` as they are now.
    public init(_ recorder: MetricsRecorder) {
        total = recorder.total
        succeeded = recorder.succeeded
        failed = recorder.failed
        statuses = recorder.statuses
        errors = recorder.errors
        usage = recorder.usage
    }

    /// Adds another thread's counters.
    public mutating func merge(_ other: LiveCounters) {
        total &+= other.total
        succeeded &+= other.succeeded
        failed &+= other.failed
        statuses.merge(other.statuses)
        errors.merge(other.errors)
        usage += other.usage
    }

    /// A summary-shaped JSON of the counters (`requests.*`, `error_rate`, `status_counts`, `errors`, `tokens.*`),
    /// the input `ThresholdEvaluator.canStillPass(_:live:plannedRequests:policy:)` reads.
    public var summaryJSON: JSONValue {
        func counts(_ byKey: [String: Int]) -> JSONValue {
            .object(byKey.sorted { $0.key < $1.key }.map { .init($0.key, .int($0.value)) })
        }
        return .object([
            .init("requests", .object([
                .init("total", .int(total)), .init("succeeded", .int(succeeded)), .init("failed", .int(failed)),
            ])),
            .init("error_rate", .double(total > 0 ? Double(failed) / Double(total) : 0)),
            .init("status_counts", counts(statuses.byCode)),
            .init("errors", counts(errors.byLabel)),
            .init("tokens", .object([
                .init("prompt", .int(usage.prompt)), .init("completion", .int(usage.completion)),
                .init("total", .int(usage.total)),
            ])),
        ])
    }
}
