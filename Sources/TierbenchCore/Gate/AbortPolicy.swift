/// How `abort_on_fail` decides that a threshold can no longer pass while a run is still going.
///
/// Sound decisions (never abort a run that could still have passed) are always made:
/// - **Counters** (`requests.failed`, `status_counts.429`, `errors.http_429`, `tokens.total`, …) only grow, so
///   `<`, `<=` and `==` fail for good once the live value is past the limit; `>`, `>=` and `!=` can always
///   still pass.
/// - **Error rates** (`error_rate` and other per-request fractions) when the run has a planned request count N:
///   after n requests with rate r, the final rate lies in [r·n/N, (r·n + N − n)/N]; the run aborts when no
///   value in that interval passes.
/// - Everything else (percentiles, means, throughput, rates of duration-bound runs) can move either way and is
///   never a sound reason to abort.
///
/// With `heuristic` on, a threshold that fails on the live value after at least `minimumRequests` measured
/// requests also aborts, like k6's `abortOnFail` with `delayAbortEval`. This is not sound: a p95 can recover.
public struct AbortPolicy: Sendable, Hashable {
    /// Measured requests required before any abort (sound or heuristic), so a single early failure cannot
    /// stop a run whose first request hit a cold connection. Default 1 (sound rules need no warm-up).
    public var minimumRequests: Int
    /// Also abort on the live value of non-monotonic metrics after `minimumRequests` (k6 style).
    public var heuristic: Bool

    public init(minimumRequests: Int = 1, heuristic: Bool = false) {
        self.minimumRequests = max(0, minimumRequests)
        self.heuristic = heuristic
    }
}

extension ThresholdEvaluator {
    /// Whether `threshold` can still pass at the end of the run, given a live value of a metric that grows as
    /// `growth` says. Only a counter (`.nonDecreasing`) ever gives `false`.
    public static func canStillPass(
        _ threshold: Threshold, liveValue: Double, growth: MetricTraits.Growth
    ) -> Bool {
        guard growth == .nonDecreasing, !threshold.comparison.holds(liveValue, threshold.limit) else { return true }
        switch threshold.comparison {
        case .lessThan, .lessThanOrEqual:
            // The counter is already at or past the limit and can only move further away.
            return false
        case .equal:
            // Below the target it can still climb to it; above, never.
            return liveValue < threshold.limit
        case .greaterThan, .greaterThanOrEqual, .notEqual:
            return true
        }
    }

    /// Whether `threshold` can still pass, judged on a live summary snapshot of the running test.
    /// - Parameters:
    ///   - live: a summary-shaped JSON of what has been measured so far (`requests.total` etc.).
    ///   - plannedRequests: the run's request count when it is bounded by `requests:`; nil for duration-bound runs.
    ///   - policy: minimum request count and whether to apply the k6-style heuristic.
    public static func canStillPass(
        _ threshold: Threshold, live: JSONValue, plannedRequests: Int? = nil, policy: AbortPolicy = AbortPolicy()
    ) -> Bool {
        let measured = live.metricValue(at: "requests.total")?.metricInt ?? 0
        guard measured >= policy.minimumRequests else { return true }
        let result = evaluate(threshold, against: live)
        guard let value = result.actual else { return true }
        let traits = MetricTraits.of(path: threshold.metric)
        if !canStillPass(threshold, liveValue: value, growth: traits.growth) { return false }
        if traits.unit == .fraction, traits.needsRequests, let planned = plannedRequests, planned > 0,
           measured > 0, measured <= planned {
            let numerator = value * Double(measured)
            let lowest = numerator / Double(planned)
            let highest = (numerator + Double(planned - measured)) / Double(planned)
            if !fractionRangeCanPass(threshold, lowest: lowest, highest: highest) { return false }
        }
        if policy.heuristic, result.status == .failed { return false }
        return true
    }

    /// Whether some value in [lowest, highest] satisfies the threshold.
    static func fractionRangeCanPass(_ threshold: Threshold, lowest: Double, highest: Double) -> Bool {
        let limit = threshold.limit
        switch threshold.comparison {
        case .lessThan, .lessThanOrEqual: return threshold.comparison.holds(lowest, limit)
        case .greaterThan, .greaterThanOrEqual: return threshold.comparison.holds(highest, limit)
        case .equal: return lowest <= limit + 1e-12 && limit <= highest + 1e-12
        case .notEqual: return !(ThresholdOperator.nearlyEqual(lowest, limit) && ThresholdOperator.nearlyEqual(highest, limit))
        }
    }
}
