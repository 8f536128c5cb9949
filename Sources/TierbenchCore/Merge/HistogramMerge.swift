import Histogram

/// Merges one stored histogram across shards exactly: rebuild each snapshot, check that every layout matches, then
/// `add`. hdrhistogram-swift's `add` traps (a precondition) when the layouts differ or the other histogram's max does
/// not fit, so nothing reaches it unchecked (docs/distributed.md, "Merging histograms").
public enum HistogramMerge {
    /// One shard's snapshot of the histogram, with the file it came from.
    public struct Part: Sendable {
        public var path: String
        public var snapshot: HistogramSnapshot

        public init(path: String, snapshot: HistogramSnapshot) {
            self.path = path
            self.snapshot = snapshot
        }
    }

    /// The layout as error messages print it.
    static func layout(_ snapshot: HistogramSnapshot) -> String {
        "lowest=\(snapshot.lowest) highest=\(snapshot.highest) significant_digits=\(snapshot.significantDigits) "
            + "unit=\(snapshot.unit)"
    }

    /// Refuses parts whose layouts differ, naming the histogram and every shard's layout.
    public static func checkLayouts(_ parts: [Part], name: String) throws(MergeError) {
        guard let first = parts.first else { return }
        let same = parts.allSatisfy {
            $0.snapshot.lowest == first.snapshot.lowest && $0.snapshot.highest == first.snapshot.highest
                && $0.snapshot.significantDigits == first.snapshot.significantDigits && $0.snapshot.unit == first.snapshot.unit
        }
        if !same {
            throw .histogramLayoutMismatch(
                histogram: name, layouts: parts.map { "\($0.path): \(layout($0.snapshot))" })
        }
    }

    /// The histogram holding every part's values.
    /// - Throws: `.histogramLayoutMismatch` when layouts differ, `.invalidHistogram` when a snapshot is corrupt or its
    ///   max does not fit its highest trackable value.
    public static func merge(_ parts: [Part], name: String) throws(MergeError) -> Histogram<UInt64> {
        try checkLayouts(parts, name: name)
        var merged: Histogram<UInt64>?
        for part in parts {
            let snapshot = part.snapshot
            guard snapshot.max <= snapshot.highest, snapshot.min <= snapshot.max || snapshot.count == 0 else {
                throw .invalidHistogram(
                    histogram: name, path: part.path,
                    reason: "min \(snapshot.min) / max \(snapshot.max) do not fit highest=\(snapshot.highest)")
            }
            let histogram: Histogram<UInt64>
            do {
                histogram = try snapshot.makeHistogram()
            } catch {
                throw .invalidHistogram(histogram: name, path: part.path, reason: error.description)
            }
            guard var total = merged else {
                merged = histogram
                continue
            }
            // Checked above: same lowest, highest and digits, and this max fits; `add` cannot trap.
            guard histogram.totalCount == 0 || histogram.maxRecorded <= total.highestTrackableValue else {
                throw .histogramLayoutMismatch(
                    histogram: name, layouts: parts.map { "\($0.path): \(layout($0.snapshot))" })
            }
            total.add(histogram)
            merged = total
        }
        guard let merged else { throw .noResults }
        return merged
    }

    /// The merged figures of one distribution, defined as for one run (`DurationStats`): count, min, max and the
    /// percentiles read from the merged histogram; mean and population standard deviation combined exactly from the
    /// shards' counts, means and standard deviations (the parallel-variance formula), rounded to 1 µs.
    public static func stats(_ histogram: Histogram<UInt64>, moments: [DurationStats]) -> DurationStats {
        var stats = DurationStats(DurationHistogram(histogram: histogram))
        let (mean, stddev) = combinedMoments(moments)
        stats.mean = (mean * 1_000).rounded() / 1_000
        stats.stddev = (stddev * 1_000).rounded() / 1_000
        return stats
    }

    /// Mean and population standard deviation (ms) of the union of distributions given by count, mean and stddev:
    /// `M = Σ nᵢmᵢ / N`, `σ² = Σ nᵢ(σᵢ² + (mᵢ − M)²) / N`.
    public static func combinedMoments(_ parts: [DurationStats]) -> (mean: Double, stddev: Double) {
        let total = parts.reduce(0.0) { $0 + Double($1.count) }
        guard total > 0 else { return (0, 0) }
        let mean = parts.reduce(0.0) { $0 + Double($1.count) * $1.mean } / total
        let variance = parts.reduce(0.0) {
            $0 + Double($1.count) * ($1.stddev * $1.stddev + ($1.mean - mean) * ($1.mean - mean))
        } / total
        return (mean, max(variance, 0).squareRoot())
    }
}
