import Histogram

/// A distribution of durations: an HdrHistogram in microseconds plus an exact running mean and variance.
///
/// The histogram covers 1 µs … 1 hour with 3 significant digits, so any percentile read from it is within 0.1 %
/// of a recorded value (HdrHistogram reports the highest value equivalent to the bucket). Longer durations are
/// clamped to 1 hour and counted in `clamped`. Mean and standard deviation come from Welford's algorithm on the
/// exact nanosecond values, so they are exact (not bucketed). Recording is O(1) and never allocates.
public struct DurationHistogram: Sendable {
    /// Lowest discernible value (µs).
    public static let lowestMicros: UInt64 = 1
    /// Highest trackable value (µs): one hour.
    public static let highestMicros: UInt64 = 3_600_000_000
    /// Significant decimal digits kept per value.
    public static let significantDigits: SignificantDigits = .three

    /// The bucketed distribution, in microseconds.
    public private(set) var histogram: Histogram<UInt64>
    /// Values recorded.
    public private(set) var count: Int = 0
    /// Exact mean of the recorded values (µs).
    public private(set) var meanMicros: Double = 0
    /// Welford's sum of squared deviations from the mean (µs²).
    private var squaredDeviations: Double = 0
    /// Exact sum of the recorded values (ns), wrapping (`&+=`; 2^64 ns is 584 years): integer, so it never
    /// decreases between two reads, as a Prometheus `_sum` must not. Approximate (from the mean) only for a
    /// histogram wrapped with `init(histogram:)`.
    public private(set) var sumNanos: UInt64 = 0
    /// Values longer than `highestMicros` that were recorded as `highestMicros`.
    public private(set) var clamped: Int = 0

    /// An empty distribution with the standard layout (1 µs … 1 h, 3 digits).
    public init() {
        histogram = Histogram<UInt64>(
            lowestDiscernibleValue: Self.lowestMicros, highestTrackableValue: Self.highestMicros,
            numberOfSignificantValueDigits: Self.significantDigits)
    }

    /// Wraps an existing histogram (e.g. one decoded from a summary); mean and deviation come from its buckets.
    public init(histogram: Histogram<UInt64>) {
        self.histogram = histogram
        count = Int(clamping: histogram.totalCount)
        meanMicros = histogram.mean
        let sum = histogram.mean * Double(count) * 1_000
        sumNanos = sum.isFinite && sum > 0 && sum < 1.8e19 ? UInt64(sum) : 0
        let deviation = histogram.stdDeviation
        squaredDeviations = deviation * deviation * Double(count)
    }

    /// Records one duration given in nanoseconds (rounded to the nearest microsecond for the histogram).
    @inlinable
    public mutating func record(nanoseconds: UInt64) {
        addToSum(nanoseconds: nanoseconds)
        recordExact(micros: Double(nanoseconds) / 1_000)
        let rounded = (nanoseconds &+ 500) / 1_000
        recordBucket(micros: rounded)
    }

    @usableFromInline
    mutating func addToSum(nanoseconds: UInt64) {
        sumNanos &+= nanoseconds
    }

    /// Exact mean/variance update (Welford).
    @usableFromInline
    mutating func recordExact(micros: Double) {
        count &+= 1
        let delta = micros - meanMicros
        meanMicros += delta / Double(count)
        squaredDeviations += delta * (micros - meanMicros)
    }

    @usableFromInline
    mutating func recordBucket(micros: UInt64) {
        if micros > Self.highestMicros {
            clamped &+= 1
            histogram.record(Self.highestMicros)
        } else {
            histogram.record(micros)
        }
    }

    /// Adds every value of `other` (histogram add plus Chan's parallel mean/variance merge).
    public mutating func merge(_ other: DurationHistogram) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
        sumNanos &+= other.sumNanos
        let total = count + other.count
        let delta = other.meanMicros - meanMicros
        let weight = Double(other.count) / Double(total)
        squaredDeviations += other.squaredDeviations + delta * delta * Double(count) * weight
        meanMicros += delta * weight
        count = total
        clamped += other.clamped
    }

    /// Population standard deviation of the recorded values (µs): `sqrt(Σ(x − mean)² / n)`.
    public var standardDeviationMicros: Double {
        count > 0 ? (max(squaredDeviations, 0) / Double(count)).squareRoot() : 0
    }

    /// The value at `percentile` (0…100) in µs, HdrHistogram's nearest-rank reading; 0 when empty.
    public func valueAtPercentile(_ percentile: Double) -> UInt64 {
        count > 0 ? histogram.valueAtPercentile(percentile) : 0
    }

    /// Smallest recorded value (µs, exact to the microsecond); 0 when empty.
    public var minMicros: UInt64 { count > 0 ? histogram.min : 0 }

    /// Largest recorded value (µs, exact to the microsecond); 0 when empty.
    public var maxMicros: UInt64 { count > 0 ? histogram.maxRecorded : 0 }
}
