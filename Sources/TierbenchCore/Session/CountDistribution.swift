import Histogram

/// A distribution of whole numbers (turns per session, tokens per turn) in an HdrHistogram (1 … 10⁹, 3 significant
/// digits) plus the exact sum, so the mean is exact. Values above 10⁹ are recorded as 10⁹.
public struct CountDistribution: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    public private(set) var count = 0
    public private(set) var sum = 0

    public static let highest: UInt64 = 1_000_000_000

    public init() {
        histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: Self.highest,
                                      numberOfSignificantValueDigits: .three)
    }

    /// Records `value` (negative values count as 0).
    public mutating func record(_ value: Int) {
        let clamped = UInt64(max(0, value))
        histogram.record(min(clamped, Self.highest))
        count &+= 1
        sum &+= max(0, value)
    }

    public mutating func merge(_ other: CountDistribution) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
        count &+= other.count
        sum &+= other.sum
    }

    /// The summary figures (all zero when empty).
    public var stats: CountStats {
        guard count > 0 else { return CountStats() }
        return CountStats(
            count: count, min: Int(histogram.min), mean: (Double(sum) / Double(count) * 1_000).rounded() / 1_000,
            p50: Int(histogram.valueAtPercentile(50)), p90: Int(histogram.valueAtPercentile(90)),
            p99: Int(histogram.valueAtPercentile(99)), max: Int(histogram.maxRecorded))
    }
}

/// Count, min, exact mean, p50/p90/p99 (HdrHistogram, within 0.1 %) and max of a `CountDistribution`.
public struct CountStats: Codable, Sendable, Hashable {
    public var count = 0
    public var min = 0
    public var mean = 0.0
    public var p50 = 0
    public var p90 = 0
    public var p99 = 0
    public var max = 0

    public init() {}

    public init(count: Int, min: Int, mean: Double, p50: Int, p90: Int, p99: Int, max: Int) {
        self.count = count
        self.min = min
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
    }
}
