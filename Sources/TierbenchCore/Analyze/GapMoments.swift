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

    /// The CV of the gaps after dividing each by its window's mean gap, for windows of `width` seconds (1 or 10 s
    /// from the 1 s moments; multiples of 60 from the minute moments). nil without a window of at least 2 gaps.
    func cvWithinWindows(width: Int) -> Double? {
        let (source, unit) = width % 60 == 0 ? (minutes, 60) : (seconds, 1)
        let per = max(width / unit, 1)
        var windows: [Moments] = Array(repeating: Moments(), count: (source.count + per - 1) / per)
        for (index, value) in source.enumerated() { windows[index / per].add(value) }
        var weighted = 0.0
        var gaps = 0
        for window in windows where window.count >= 2 && window.sum > 0 {
            let n = Double(window.count)
            let mean = window.sum / n
            let variance = max(window.squares / n - mean * mean, 0)
            weighted += n * variance / (mean * mean)
            gaps &+= window.count
        }
        return gaps > 0 ? (weighted / Double(gaps)).squareRoot() : nil
    }
}
