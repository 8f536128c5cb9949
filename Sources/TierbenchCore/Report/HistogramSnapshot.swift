import Histogram

/// A histogram as `summary.json` stores it: the layout plus one `[value_us, count]` pair per non-empty bucket.
///
/// Runs stay mergeable: decode two snapshots with `makeHistogram()`, `add` one to the other, and the result equals
/// a histogram that recorded both runs' values. Each pair's value is the lowest value of its bucket, so decoding
/// lands every count in the bucket it came from. `min` and `max` keep the exact extremes, which decoding restores.
public struct HistogramSnapshot: Sendable, Hashable, Codable {
    /// Unit of every value: always `"us"` (microseconds).
    public var unit: String
    /// Lowest discernible value (µs).
    public var lowest: UInt64
    /// Highest trackable value (µs).
    public var highest: UInt64
    /// Significant decimal digits (1…5).
    public var significantDigits: Int
    /// Values recorded.
    public var count: UInt64
    /// Smallest and largest recorded value (µs); 0 when empty.
    public var min: UInt64
    public var max: UInt64
    /// `[lowest value of the bucket (µs), count]` for each non-empty bucket, in increasing value order.
    public var buckets: [[UInt64]]

    enum CodingKeys: String, CodingKey {
        case unit, lowest, highest, count, min, max, buckets
        case significantDigits = "significant_digits"
    }

    /// The snapshot of `histogram`.
    public init(_ histogram: Histogram<UInt64>) {
        unit = "us"
        lowest = histogram.lowestDiscernibleValue
        highest = histogram.highestTrackableValue
        significantDigits = Int(histogram.numberOfSignificantValueDigits.rawValue)
        count = histogram.totalCount
        min = count > 0 ? histogram.min : 0
        max = count > 0 ? histogram.maxRecorded : 0
        buckets = histogram.recordedValues().map { [histogram.lowestEquivalentForValue($0.value), UInt64($0.count)] }
    }

    /// Rebuilds the histogram: same layout, same bucket counts, same exact min and max.
    /// - Throws: `HistogramSnapshotError` when the snapshot is inconsistent (edited or truncated file).
    public func makeHistogram() throws(HistogramSnapshotError) -> Histogram<UInt64> {
        guard unit == "us" else { throw .unsupportedUnit(unit) }
        guard let digits = SignificantDigits(rawValue: Int8(clamping: significantDigits)),
              lowest >= 1, highest >= 2 * lowest
        else { throw .invalidLayout(lowest: lowest, highest: highest, significantDigits: significantDigits) }
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: lowest, highestTrackableValue: highest, numberOfSignificantValueDigits: digits)
        var total: UInt64 = 0
        var previous: UInt64?
        for pair in buckets {
            guard pair.count == 2, pair[1] > 0, pair[0] <= highest else { throw .invalidBucket(pair) }
            if let previous, pair[0] <= previous { throw .invalidBucket(pair) }
            previous = pair[0]
            var value = pair[0]
            var remaining = pair[1]
            // Land the exact extremes in their buckets so min and max survive the round trip.
            if count > 0, histogram.valuesAreEquivalent(value, min) {
                histogram.record(min)
                remaining -= 1
                value = min
            }
            if remaining > 0, count > 0, histogram.valuesAreEquivalent(value, max) {
                histogram.record(max)
                remaining -= 1
            }
            if remaining > 0 { histogram.record(value, count: remaining) }
            total &+= pair[1]
        }
        guard total == count else { throw .countMismatch(expected: count, found: total) }
        return histogram
    }
}

/// Why a stored histogram could not be rebuilt.
public enum HistogramSnapshotError: Error, Equatable, CustomStringConvertible {
    case unsupportedUnit(String)
    case invalidLayout(lowest: UInt64, highest: UInt64, significantDigits: Int)
    case invalidBucket([UInt64])
    case countMismatch(expected: UInt64, found: UInt64)

    public var description: String {
        switch self {
        case .unsupportedUnit(let unit):
            return "histogram unit '\(unit)' is not supported; summaries store microseconds (\"us\")"
        case .invalidLayout(let lowest, let highest, let digits):
            return "histogram layout lowest=\(lowest) highest=\(highest) significant_digits=\(digits) is invalid: "
                + "need lowest ≥ 1, highest ≥ 2 × lowest and 0…5 digits"
        case .invalidBucket(let pair):
            return "histogram bucket \(pair) is invalid: each bucket is [value_us, count] with count > 0, "
                + "values increasing and not above `highest`"
        case .countMismatch(let expected, let found):
            return "histogram buckets add up to \(found) values but `count` says \(expected); the file was edited "
                + "or truncated"
        }
    }
}
