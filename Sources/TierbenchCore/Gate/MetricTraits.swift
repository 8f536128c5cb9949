/// What tierbench knows about a metric from its dotted path alone: its unit, which way is better, and whether
/// it can only grow during a run. Thresholds use the unit for `800ms`/`1%`, comparisons the direction, and
/// `abort_on_fail` the growth.
///
/// The rules are name-based so they also cover metrics added to the summary later: a segment ending in `_ms`
/// is in milliseconds, one ending in `_s` (not `_per_s`) in seconds, `_us` in microseconds; a last segment
/// ending in `ratio` or `fraction`, or in `rate` after a word such as `error`, is a fraction 0…1 (any other
/// `…rate` is per second); counters live under `requests`, `tokens`,
/// `status_counts`, `errors`, `retries` and `attempts`.
public struct MetricTraits: Sendable, Hashable {
    /// The unit a metric's numbers are in.
    public enum Unit: String, Sendable, Hashable {
        case milliseconds, seconds, microseconds, fraction, count, perSecond, other
    }

    /// Which change of the metric is an improvement.
    public enum Direction: String, Sendable, Hashable {
        /// Latency, errors, cost: smaller is better.
        case lowerIsBetter = "lower_is_better"
        /// Throughput, successes: larger is better.
        case higherIsBetter = "higher_is_better"
        /// Sizes and settings (requests sent, tokens, recommended workers): reported, never flagged.
        case neutral
    }

    /// How a metric can move while a run is in progress.
    public enum Growth: String, Sendable, Hashable {
        /// A counter: it never decreases during a run (failed requests, 429s, tokens).
        case nonDecreasing = "non_decreasing"
        /// Anything else (percentiles, rates, means): it can move either way until the run ends.
        case unbounded
    }

    public var unit: Unit
    public var direction: Direction
    public var growth: Growth
    /// True for latency-like distributions that have no samples when no request succeeded.
    public var needsSuccesses: Bool
    /// True for fractions of all requests (error rates) that have no samples when no request finished.
    public var needsRequests: Bool

    /// Top-level objects whose members are counters.
    static let counterRoots: Set<String> = ["requests", "tokens", "status_counts", "errors", "retries", "attempts"]

    /// The traits of the metric at `path`.
    public static func of(path: String) -> MetricTraits {
        let segments = path.lowercased().split(separator: ".").map(String.init)
        let last = segments.last ?? ""
        let unit = unit(of: segments)
        let direction = direction(of: segments, unit: unit)
        let isCounter = segments.count >= 2 && counterRoots.contains(segments[0])
            && unit == .count && !["in_flight", "max_in_flight", "mean", "max", "min"].contains(last)
        let isTime = unit == .milliseconds || unit == .seconds || unit == .microseconds
        let distributionRoot = segments.dropLast().contains { $0.hasSuffix("_ms") || $0.hasSuffix("_us") }
        return MetricTraits(
            unit: unit, direction: direction, growth: isCounter ? .nonDecreasing : .unbounded,
            needsSuccesses: isTime && distributionRoot,
            needsRequests: unit == .fraction && (last.contains("error") || last.contains("fail")))
    }

    private static func unit(of segments: [String]) -> Unit {
        let last = segments.last ?? ""
        // A distribution's sample count (`latency_ms.count`) is a count, whatever its block's unit.
        if last == "count" || last.hasSuffix("_count") || last == "clamped" { return .count }
        if last.hasSuffix("ratio") || last.hasSuffix("fraction") || last.hasSuffix("share") {
            return .fraction
        }
        if last.hasSuffix("rate") {
            let fractionWords = ["error", "fail", "success", "retry", "hit", "drop", "timeout", "429", "limited"]
            return fractionWords.contains(where: { last.contains($0) }) ? .fraction : .perSecond
        }
        if segments.contains(where: { $0.hasSuffix("_per_s") || $0.hasSuffix("_per_min") || $0 == "throughput" }) {
            return .perSecond
        }
        for segment in segments.reversed() {
            if segment.hasSuffix("_ms") || segment == "ms" { return .milliseconds }
            if segment.hasSuffix("_us") || segment == "us" { return .microseconds }
            if segment.hasSuffix("_s") || segment.hasSuffix("_seconds") { return .seconds }
        }
        if let root = segments.first, counterRoots.contains(root) { return .count }
        return .other
    }

    private static func direction(of segments: [String], unit: Unit) -> Direction {
        let joined = segments.joined(separator: ".")
        if ["duration", "elapsed", "warmup", "time_scale"].contains(where: { joined.contains($0) }) { return .neutral }
        if segments.first == "recommendation" || joined.contains("max_workers") || joined.contains("batch_size") {
            return joined.contains("per_s") || joined.contains("per_min") ? .higherIsBetter : .neutral
        }
        let last = segments.last ?? ""
        if last == "count" || last.hasSuffix("_count") { return .neutral }
        let worse = ["error", "fail", "429", "rate_limited", "timeout", "retr", "late_", "lateness", "cost", "usd",
                     "dropped", "bottleneck"]
        if worse.contains(where: { joined.contains($0) }) { return .lowerIsBetter }
        if segments.first == "status_counts", let code = segments.last.flatMap({ Int($0) }) {
            return code >= 400 ? .lowerIsBetter : .neutral
        }
        switch unit {
        case .milliseconds, .seconds, .microseconds: return .lowerIsBetter
        case .perSecond: return .higherIsBetter
        case .fraction: return .neutral
        case .count, .other:
            return joined.contains("succeeded") || joined.contains("goodput") ? .higherIsBetter : .neutral
        }
    }

    /// Multiplies a duration written in `unitName` (`us`, `µs`, `ms`, `s`, `m`, `h`) into this metric's time unit;
    /// nil when the metric is not a time or the unit is unknown.
    public func scale(forDurationUnit unitName: String) -> Double? {
        let seconds: Double
        switch unitName {
        case "us", "µs": seconds = 1e-6
        case "ms": seconds = 1e-3
        case "s": seconds = 1
        case "m", "min": seconds = 60
        case "h": seconds = 3_600
        default: return nil
        }
        switch unit {
        case .milliseconds: return seconds * 1e3
        case .seconds: return seconds
        case .microseconds: return seconds * 1e6
        default: return nil
        }
    }
}
