/// Percentiles and moments of one duration distribution, in milliseconds, as `summary.json` writes them.
///
/// Percentiles are HdrHistogram nearest-rank readings (the highest value equivalent to the bucket holding the
/// ⌈p/100 × n⌉-th smallest value), so each is within 0.1 % above the exact order statistic. `min` and `max` are
/// exact to the microsecond; `mean` and `stddev` (population) are exact. All values are rounded to 1 µs.
public struct DurationStats: Sendable, Hashable, Codable {
    /// Values in the distribution.
    public var count: Int
    public var min: Double
    public var mean: Double
    /// Population standard deviation: `sqrt(Σ(x − mean)² / n)`.
    public var stddev: Double
    public var p50: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    public init(
        count: Int, min: Double, mean: Double, stddev: Double, p50: Double, p90: Double, p95: Double,
        p99: Double, p999: Double, max: Double
    ) {
        self.count = count
        self.min = min
        self.mean = mean
        self.stddev = stddev
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }

    /// The statistics of `distribution` (all zero when it is empty).
    public init(_ distribution: DurationHistogram) {
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1_000 }
        count = distribution.count
        min = ms(distribution.minMicros)
        mean = distribution.meanMicros.rounded() / 1_000
        stddev = distribution.standardDeviationMicros.rounded() / 1_000
        p50 = ms(distribution.valueAtPercentile(50))
        p90 = ms(distribution.valueAtPercentile(90))
        p95 = ms(distribution.valueAtPercentile(95))
        p99 = ms(distribution.valueAtPercentile(99))
        p999 = ms(distribution.valueAtPercentile(99.9))
        max = ms(distribution.maxMicros)
    }
}
