import Histogram

/// Turns successive cumulative `LiveCounters` into `LiveSample`s: interval figures are differences between the
/// current counters and those `window` samples earlier (latency percentiles from the difference of the two
/// histograms, so they are exact to the histogram's precision); total figures come from the current counters.
public struct LiveSampler: Sendable {
    /// How long the run lasts (ns), when it has a duration.
    public var durationNanos: UInt64?
    /// How many requests the run sends in all, when it has a count.
    public var requestLimit: Int?
    /// The warmup (ns since the run's start).
    public var warmupNanos: UInt64

    /// Samples an interval spans: with samples every 250 ms, a window of 4 gives one-second intervals.
    public let window: Int
    /// The last `window` (elapsed ns, counters) pairs, oldest first.
    private var history: [(UInt64, LiveCounters)] = []

    public init(durationNanos: UInt64?, requestLimit: Int?, warmupNanos: UInt64, window: Int = 1) {
        self.durationNanos = durationNanos
        self.requestLimit = requestLimit
        self.warmupNanos = warmupNanos
        self.window = max(window, 1)
    }

    /// The sample for `counters` read at `elapsedNanos` since the run's start.
    public mutating func sample(_ counters: LiveCounters, elapsedNanos: UInt64) -> LiveSample {
        let (previousElapsed, previous) = history.first ?? (0, LiveCounters())
        let interval = max(elapsedNanos &- min(previousElapsed, elapsedNanos), 1)
        let seconds = Double(interval) / 1e9
        let finished = counters.completed - previous.completed
        let failedNow = counters.failed - previous.failed
        let latency = Self.difference(counters.latency.histogram, previous.latency.histogram)
        let requestsPerSecond = Double(finished) / seconds
        var sample = LiveSample(
            elapsedSeconds: Double(elapsedNanos) / 1e9, intervalSeconds: seconds,
            warmingUp: elapsedNanos < warmupNanos, completed: counters.completed, failed: counters.failed,
            rateLimited: counters.rateLimited, inFlight: counters.inFlight, requestsPerSecond: requestsPerSecond,
            errorRate: finished > 0 ? Double(failedNow) / Double(finished) : nil,
            rateLimitedPerSecond: Double(counters.rateLimited - previous.rateLimited) / seconds,
            // Saturating and never negative: a hostile server's usage must not trap the live display.
            tokensPerSecond: Double(max(0, TokenUsage.saturatingDifference(counters.usage.total, previous.usage.total)))
                / seconds,
            latencyP50Ms: Self.percentileMs(latency, 50), latencyP95Ms: Self.percentileMs(latency, 95),
            latencyP99Ms: Self.percentileMs(latency, 99), measured: counters.measured,
            totalErrorRate: counters.measured > 0 ? Double(counters.measuredFailed) / Double(counters.measured) : nil,
            totalLatencyP95Ms: counters.latency.count > 0 ? Double(counters.latency.valueAtPercentile(95)) / 1000 : nil,
            progress: nil, etaSeconds: nil)
        var fractions: [Double] = []
        var remaining: [Double] = []
        if let durationNanos, durationNanos > 0 {
            fractions.append(Double(elapsedNanos) / Double(durationNanos))
            remaining.append(Double(durationNanos &- min(elapsedNanos, durationNanos)) / 1e9)
        }
        if let requestLimit, requestLimit > 0 {
            fractions.append(Double(counters.completed) / Double(requestLimit))
            if requestsPerSecond > 0 {
                remaining.append(Double(max(requestLimit - counters.completed, 0)) / requestsPerSecond)
            }
        }
        // The run ends at whichever limit comes first.
        sample.progress = fractions.max().map { min(max($0, 0), 1) }
        sample.etaSeconds = remaining.min()
        history.append((elapsedNanos, counters))
        if history.count > window { history.removeFirst() }
        return sample
    }

    /// Values recorded in `current` but not yet in `earlier` (same layout; `earlier` is a past state of `current`),
    /// as ascending (highest equivalent value µs, count) pairs.
    static func difference(_ current: Histogram<UInt64>, _ earlier: Histogram<UInt64>) -> [(UInt64, UInt64)] {
        guard current.totalCount > earlier.totalCount else { return [] }
        var buckets: [(UInt64, UInt64)] = []
        for item in current.recordedValues() {
            let before = earlier.totalCount > 0 ? UInt64(earlier.countForValue(item.value)) : 0
            let count = UInt64(item.count) &- min(before, UInt64(item.count))
            if count > 0 { buckets.append((current.highestEquivalentForValue(item.value), count)) }
        }
        return buckets
    }

    /// Nearest-rank percentile (0…100) of `buckets` in ms; nil when empty.
    static func percentileMs(_ buckets: [(UInt64, UInt64)], _ percentile: Double) -> Double? {
        let total = buckets.reduce(UInt64(0)) { $0 + $1.1 }
        guard total > 0 else { return nil }
        let rank = max(UInt64((percentile / 100 * Double(total)).rounded(.up)), 1)
        var seen: UInt64 = 0
        for (value, count) in buckets {
            seen += count
            if seen >= rank { return Double(value) / 1000 }
        }
        return buckets.last.map { Double($0.0) / 1000 }
    }
}
