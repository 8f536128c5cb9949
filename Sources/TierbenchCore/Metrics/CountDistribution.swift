import Histogram

/// A distribution of whole counts (tokens per request or per turn, turns per session): an HdrHistogram plus the exact
/// sum and a running mean and variance, like `DurationHistogram` but in plain units. Mergeable, so load threads keep
/// their own and the run adds them up. Used by the sessions summary and by `tierbench analyze`.
///
/// Values 0 … 10⁹ are kept with 3 significant digits (values below 2,048 exactly); negative values count as 0 and
/// larger ones as 10⁹, both counted in `clamped`. `exactCounts` keeps the count of every value up to `exactLimit` for
/// small-valued distributions (turns), so their histogram can be printed value by value.
public struct CountDistribution: Sendable {
    /// Largest trackable value.
    public static let highest: UInt64 = 1_000_000_000
    /// Values up to this one are also counted one by one in `exactCounts`.
    public let exactLimit: Int

    public private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: CountDistribution.highest, numberOfSignificantValueDigits: .three)
    public private(set) var count = 0
    /// Exact sum of the recorded (clamped) values.
    public private(set) var sum = 0
    /// Running mean (Welford), and the sum of squared deviations from it.
    public private(set) var mean = 0.0
    private var squaredDeviations = 0.0
    /// Values outside 0 … 10⁹, recorded at the nearest bound.
    public private(set) var clamped = 0
    /// Count of each value `0...exactLimit` (index = value); values above are in `aboveExact`.
    public private(set) var exactCounts: [Int]
    public private(set) var aboveExact = 0

    public init(exactLimit: Int = 0) {
        self.exactLimit = max(0, exactLimit)
        exactCounts = Array(repeating: 0, count: self.exactLimit + 1)
    }

    /// Records `value`.
    public mutating func record(_ value: Int) {
        let kept = min(max(value, 0), Int(Self.highest))
        if kept != value { clamped &+= 1 }
        count &+= 1
        sum &+= kept
        let x = Double(kept)
        let delta = x - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (x - mean)
        histogram.record(UInt64(kept))
        if exactLimit > 0 {
            if kept <= exactLimit { exactCounts[kept] &+= 1 } else { aboveExact &+= 1 }
        }
    }

    /// Adds `other`'s values (Chan's pairwise update for the variance). Exact counts merge index by index up to this
    /// distribution's limit; the rest count as above it.
    public mutating func merge(_ other: CountDistribution) {
        guard other.count > 0 else { return }
        let total = Double(count) + Double(other.count)
        let delta = other.mean - mean
        squaredDeviations += other.squaredDeviations + delta * delta * Double(count) * Double(other.count) / total
        mean += delta * Double(other.count) / total
        count &+= other.count
        sum &+= other.sum
        clamped &+= other.clamped
        histogram.add(other.histogram)
        guard exactLimit > 0 else { return }
        for (value, amount) in other.exactCounts.enumerated() where amount > 0 {
            if value <= exactLimit { exactCounts[value] &+= amount } else { aboveExact &+= amount }
        }
        aboveExact &+= other.aboveExact
    }

    /// Population standard deviation.
    public var standardDeviation: Double { count > 0 ? (max(squaredDeviations, 0) / Double(count)).squareRoot() : 0 }

    /// The value at `percentile` (0…100), HdrHistogram's nearest-rank reading; 0 when empty.
    public func value(atPercentile percentile: Double) -> Int {
        count > 0 ? Int(histogram.valueAtPercentile(percentile)) : 0
    }

    public var minimum: Int { count > 0 ? Int(histogram.min) : 0 }
    public var maximum: Int { count > 0 ? Int(histogram.maxRecorded) : 0 }

    /// The summary figures (all zero when empty): the exact mean from the exact sum, rounded to 3 decimals.
    public var stats: CountStats {
        guard count > 0 else { return CountStats() }
        return CountStats(
            count: count, sum: sum, min: minimum, mean: Self.round3(Double(sum) / Double(count)),
            stddev: Self.round3(standardDeviation), p50: value(atPercentile: 50), p90: value(atPercentile: 90),
            p99: value(atPercentile: 99), max: maximum)
    }

    static func round3(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
}

/// Count, exact sum, min, exact mean, population standard deviation, p50/p90/p99 (HdrHistogram, within 0.1 %) and max
/// of a `CountDistribution`: the shape summary.json's sessions block and analysis.json write.
public struct CountStats: Sendable, Hashable, Codable {
    public var count = 0
    public var sum = 0
    public var min = 0
    public var mean = 0.0
    public var stddev = 0.0
    public var p50 = 0
    public var p90 = 0
    public var p99 = 0
    public var max = 0

    public init() {}

    public init(count: Int, sum: Int, min: Int, mean: Double, stddev: Double, p50: Int, p90: Int, p99: Int, max: Int) {
        self.count = count
        self.sum = sum
        self.min = min
        self.mean = mean
        self.stddev = stddev
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
    }
}
