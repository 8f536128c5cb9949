import Histogram

/// A distribution of whole counts (tokens per request, turns per session): an HdrHistogram plus an exact running
/// mean and variance, like `DurationHistogram` but in plain units.
///
/// Values 0 … 10⁹ are kept with 3 significant digits (values below 2,048 exactly); larger values are clamped and
/// counted in `clamped`. `exactCounts` keeps the count of every value up to `exactLimit` for small-valued
/// distributions (turns), so their histogram can be printed value by value.
struct CountDistribution: Sendable {
    /// Largest trackable value.
    static let highest: UInt64 = 1_000_000_000
    /// Values up to this one are also counted one by one in `exactCounts`.
    let exactLimit: Int

    private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: CountDistribution.highest, numberOfSignificantValueDigits: .three)
    private(set) var count = 0
    private(set) var mean = 0.0
    private var squaredDeviations = 0.0
    private(set) var clamped = 0
    private(set) var sum = 0.0
    /// Count of each value `0...exactLimit` (index = value); values above are in `aboveExact`.
    private(set) var exactCounts: [Int]
    private(set) var aboveExact = 0

    init(exactLimit: Int = 0) {
        self.exactLimit = exactLimit
        exactCounts = Array(repeating: 0, count: exactLimit + 1)
    }

    /// Records `value` (non-negative; the caller range-checks it).
    mutating func record(_ value: Int) {
        let clampedValue = min(max(value, 0), Int(Self.highest))
        if clampedValue != value { clamped &+= 1 }
        count &+= 1
        let x = Double(clampedValue)
        sum += x
        let delta = x - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (x - mean)
        histogram.record(UInt64(clampedValue))
        if exactLimit > 0 {
            if clampedValue <= exactLimit { exactCounts[clampedValue] &+= 1 } else { aboveExact &+= 1 }
        }
    }

    /// Population standard deviation.
    var standardDeviation: Double { count > 0 ? (max(squaredDeviations, 0) / Double(count)).squareRoot() : 0 }

    /// The value at `percentile` (0…100), HdrHistogram's nearest-rank reading; 0 when empty.
    func value(atPercentile percentile: Double) -> Int {
        count > 0 ? Int(histogram.valueAtPercentile(percentile)) : 0
    }

    var minimum: Int { count > 0 ? Int(histogram.min) : 0 }
    var maximum: Int { count > 0 ? Int(histogram.maxRecorded) : 0 }

    /// The figures `analysis.json` writes.
    var stats: CountStats {
        CountStats(count: count, sum: sum, min: minimum, mean: LogAnalysis.round3(mean),
                   stddev: LogAnalysis.round3(standardDeviation), p50: value(atPercentile: 50),
                   p90: value(atPercentile: 90), p99: value(atPercentile: 99), max: maximum)
    }
}

/// Percentiles and moments of a distribution of counts, as `analysis.json` writes them.
public struct CountStats: Sendable, Hashable, Codable {
    public var count: Int
    public var sum: Double
    public var min: Int
    public var mean: Double
    /// Population standard deviation.
    public var stddev: Double
    public var p50: Int
    public var p90: Int
    public var p99: Int
    public var max: Int
}
