/// A percentile-bootstrap confidence interval for the relative change of the median between two samples,
/// (median(new) − median(base)) / median(base), with a seeded generator so reports are reproducible.
public struct BootstrapInterval: Sendable, Hashable {
    /// Lower bound of the relative change (e.g. -0.03 for −3%).
    public var lower: Double
    /// Upper bound of the relative change.
    public var upper: Double
    /// The confidence level, e.g. 0.95.
    public var confidence: Double

    /// Whether the interval lies entirely on one side of zero.
    public var excludesZero: Bool { lower > 0 || upper < 0 }

    /// Resamples both sides `resamples` times; nil when a side is empty or the base median is 0.
    /// - Parameters:
    ///   - confidence: two-sided level in (0, 1), default 0.95.
    ///   - seed: seeds the `SplitMix64` generator; the same inputs and seed give the same interval.
    public static func medianChange(
        base: [Double], new: [Double], resamples: Int = 2_000, confidence: Double = 0.95, seed: UInt64 = 0x7165_7262
    ) -> BootstrapInterval? {
        guard !base.isEmpty, !new.isEmpty, let baseMedian = Statistics.median(base), baseMedian != 0,
              confidence > 0, confidence < 1 else { return nil }
        var generator = SplitMix64(seed: seed)
        var changes: [Double] = []
        let rounds = max(100, resamples)
        changes.reserveCapacity(rounds)
        var scratchBase = base
        var scratchNew = new
        for _ in 0..<rounds {
            for index in scratchBase.indices { scratchBase[index] = base[Int(generator.next() % UInt64(base.count))] }
            for index in scratchNew.indices { scratchNew[index] = new[Int(generator.next() % UInt64(new.count))] }
            guard let b = Statistics.median(scratchBase), let n = Statistics.median(scratchNew), b != 0 else {
                continue
            }
            changes.append((n - b) / abs(b))
        }
        guard !changes.isEmpty else { return nil }
        changes.sort()
        let tail = (1 - confidence) / 2
        return BootstrapInterval(
            lower: Statistics.quantile(sorted: changes, tail) ?? 0,
            upper: Statistics.quantile(sorted: changes, 1 - tail) ?? 0,
            confidence: confidence)
    }
}
