/// Log-linear latency bins for the per-bucket percentiles of `RequestTimeSeries`: 8 bins per power of two, so
/// a bin is at most 1/8 of its lower bound wide and a percentile read from its midpoint is within 6.25% of the
/// true sample. Values are in µs; 0…7 µs have a bin each, anything from 2^34 µs (about 4.8 h) up shares the last.
public enum LatencyBins {
    /// Bins per time bucket.
    public static let count = 256
    /// Sub-bins per power of two (2^subBits).
    static let subBits = 3

    /// The bin of a value (µs). O(1), no allocation.
    @inline(__always)
    public static func index(micros: UInt64) -> Int {
        let value = min(micros, (1 << 34) - 1)
        if value < 8 { return Int(value) }
        let octave = 63 - value.leadingZeroBitCount  // ≥ 3
        let sub = Int((value >> UInt64(octave - subBits)) & 7)
        return (octave - 2) * 8 + sub
    }

    /// The lower bound (µs) and width (µs) of bin `index`.
    public static func range(of index: Int) -> (lower: UInt64, width: UInt64) {
        if index < 8 { return (UInt64(index), 1) }
        let octave = index / 8 + 2
        let sub = UInt64(index % 8)
        let shift = UInt64(octave - subBits)
        return ((8 + sub) << shift, 1 << shift)
    }

    /// The value reported for samples in bin `index` (µs): its midpoint (the value itself below 8 µs).
    public static func representative(of index: Int) -> Double {
        let (lower, width) = range(of: index)
        return width == 1 ? Double(lower) : Double(lower) + Double(width) / 2
    }

    /// The `quantile` (0…1) of the samples counted in `counts` (one entry per bin), in µs; nil without samples.
    /// The sample of rank ⌈quantile·n⌉ (at least 1), as HdrHistogram reads percentiles.
    public static func percentile(_ quantile: Double, counts: ArraySlice<UInt32>) -> Double? {
        var total = 0
        for count in counts { total &+= Int(count) }
        guard total > 0 else { return nil }
        let rank = max(1, Int((quantile * Double(total)).rounded(.up)))
        var seen = 0
        for (offset, count) in counts.enumerated() where count > 0 {
            seen &+= Int(count)
            if seen >= rank { return representative(of: offset) }
        }
        return representative(of: counts.count - 1)
    }
}
