/// The outcome of one threshold against one summary.
public struct ThresholdResult: Sendable, Hashable {
    /// Why a threshold passed or failed.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The metric has a value and it satisfies the threshold.
        case passed
        /// The metric has a value and it does not satisfy the threshold.
        case failed
        /// The metric exists but has no samples (null, or a latency with no successful request): fails.
        case noSamples = "no_samples"
        /// The path names nothing in the summary: fails, with a did-you-mean when a close path exists.
        case unknownMetric = "unknown_metric"
    }

    /// The threshold evaluated.
    public var threshold: Threshold
    /// Why it passed or failed.
    public var status: Status
    /// The metric's value (in the metric's unit), when it has one.
    public var actual: Double?
    /// One line for people: `latency_ms.p95 = 812.4 ms, is not < 800 ms`.
    public var message: String

    /// True only for `.passed`; a metric without samples never passes.
    public var passed: Bool { status == .passed }

    public init(threshold: Threshold, status: Status, actual: Double?, message: String) {
        self.threshold = threshold
        self.status = status
        self.actual = actual
        self.message = message
    }
}

extension Array where Element == ThresholdResult {
    /// True when every threshold passed (an empty list passes).
    public var allPassed: Bool { allSatisfy(\.passed) }
    /// The results that did not pass.
    public var failures: [ThresholdResult] { filter { !$0.passed } }
}
