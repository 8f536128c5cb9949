/// Count, sum and sum of squares of the inter-arrival gaps ending in each second (the first 7 days) and each
/// minute (366 days), so the gaps' CV can be measured inside windows of a steady rate once the windows are known.
///
/// A log whose rate changes has a CV above 1 even when every stretch is Poisson; dividing each window's gaps by
/// that window's mean gap (pooling `n·var/mean²` over windows) removes the rate change and keeps the burstiness.
struct GapMoments: Sendable {
    struct Moments: Sendable {
        var count = 0
        var sum = 0.0
        var squares = 0.0

        mutating func add(_ other: Moments) {
            count &+= other.count
            sum += other.sum
            squares += other.squares
        }
    }

    private(set) var seconds: [Moments] = []
    private(set) var minutes: [Moments] = []

    /// Adds a gap of `gapMs` that ended `offsetSeconds` after the origin.
    mutating func add(offsetSeconds: Double, gapMs: Double) {
        guard offsetSeconds >= 0, offsetSeconds < RateBuckets.maxSpanSeconds else { return }
        let second = Int(offsetSeconds)
        let gap = Moments(count: 1, sum: gapMs, squares: gapMs * gapMs)
        if second < RateBuckets.maxSecondSpan { Self.add(&seconds, at: second, gap) }
        Self.add(&minutes, at: second / 60, gap)
    }

    private static func add(_ array: inout [Moments], at index: Int, _ value: Moments) {
        if index >= array.count { array.append(contentsOf: repeatElement(Moments(), count: index + 1 - array.count)) }
        array[index].add(value)
    }

    /// Adds another file's moments, aligned at the origin.
    mutating func merge(_ other: GapMoments) {
        for (index, value) in other.seconds.enumerated() { Self.add(&seconds, at: index, value) }
        for (index, value) in other.minutes.enumerated() { Self.add(&minutes, at: index, value) }
    }

    /// Gaps the median CV window should hold: with fewer the per-window estimate is noisy (and the (n+1)/(n−1)
    /// correction below is exact only on average); wider windows would also average over more rate changes.
    static let medianGapsPerWindow = 10

    /// The CV of the gaps after dividing each by its window's mean gap, and the window width (s) it was measured
    /// in. Starts at `width` (1 or 10 s from the 1 s moments; multiples of 60 from the minute moments) and widens
    /// it ×2, ×5, ×10, ×20, ×50, ×100 until the median window (of those holding a gap) holds at least
    /// `medianGapsPerWindow` gaps or the window would pass half the span.
    ///
    /// Per window of n gaps, var/mean² with the window's own mean is biased low: E = (n−1)/(n+1) × CV² for Poisson
    /// gaps, so each window's term is multiplied by (n+1)/(n−1), and windows of fewer than 3 gaps are left out.
    /// Pooled as √(Σ n·corrected / Σ n). nil without a window of at least 3 gaps.
    func cvWithinWindows(width: Int) -> (cv: Double, width: Int)? {
        var chosen = max(width, 1)
        for factor in [1, 2, 5, 10, 20, 50, 100] {
            let candidate = max(width, 1) * factor
            let (source, unit) = Self.source(candidate, seconds: seconds, minutes: minutes)
            if factor > 1 && candidate * 2 > source.count * unit { break }
            chosen = candidate
            let counts = windows(candidate).map(\.count).filter { $0 > 0 }.sorted()
            if counts.isEmpty || counts[counts.count / 2] >= Self.medianGapsPerWindow { break }
        }
        var weighted = 0.0
        var gaps = 0
        for window in windows(chosen) where window.count >= 3 && window.sum > 0 {
            let n = Double(window.count)
            let mean = window.sum / n
            let variance = max(window.squares / n - mean * mean, 0)
            weighted += n * variance / (mean * mean) * (n + 1) / (n - 1)
            gaps &+= window.count
        }
        return gaps > 0 ? ((weighted / Double(gaps)).squareRoot(), chosen) : nil
    }

    private static func source(_ width: Int, seconds: [Moments], minutes: [Moments]) -> ([Moments], Int) {
        width % 60 == 0 ? (minutes, 60) : (seconds, 1)
    }

    /// The moments per window of `width` seconds.
    private func windows(_ width: Int) -> [Moments] {
        let (source, unit) = Self.source(width, seconds: seconds, minutes: minutes)
        let per = max(width / unit, 1)
        var windows: [Moments] = Array(repeating: Moments(), count: (source.count + per - 1) / per)
        for (index, value) in source.enumerated() { windows[index / per].add(value) }
        return windows
    }
}
