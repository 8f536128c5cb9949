/// Bucket counts of a histogram family, on the bounds the harness really serves (`MetricFamily.bucketsSeconds`),
/// that give `histogram_quantile(q, …)` a known value: the promtool test inputs of the percentile alerts
/// (docs/monitoring.md, "Alert rules").
///
/// `observations` values are split between two adjacent finite buckets (k in bucket j, the rest in bucket j + 1, for
/// every j and k), or all put above the largest finite bound; `quantile` computes what Prometheus'
/// `histogram_quantile` computes from those counts (linear interpolation inside the bucket holding rank q·n, the
/// first bucket starting at 0, the largest finite bound when the rank falls in `+Inf`). So the estimate can never
/// reach past the largest finite bound, and its smallest value is q × the first bound.
public struct HistogramQuantileInput: Sendable, Equatable {
    /// Cumulative counts at each finite bound (`le`), ascending, then the `+Inf` count.
    public var cumulative: [Int]
    /// `histogram_quantile`'s value for these counts, in seconds.
    public var valueSeconds: Double

    /// Observations per input sample (per step for windowed figures).
    public static let observations = 1000

    /// Prometheus' `histogram_quantile(q, …)` over cumulative counts at `bounds` (`+Inf` last in `cumulative`),
    /// as promql/quantile.go's `bucketQuantile` computes it; nil where Prometheus gives NaN (no observations).
    public static func quantile(_ q: Double, bounds: [Double], cumulative: [Double]) -> Double? {
        guard cumulative.count == bounds.count + 1, let total = cumulative.last, total > 0, !bounds.isEmpty else {
            return nil
        }
        let rank = q * total
        // The first bucket (the `+Inf` one included) whose cumulative count reaches the rank.
        let b = cumulative.firstIndex { $0 >= rank } ?? bounds.count
        if b == bounds.count { return bounds[bounds.count - 1] }
        if b == 0, bounds[0] <= 0 { return bounds[0] }
        var start = 0.0
        var count = cumulative[b]
        var rankInBucket = rank
        if b > 0 {
            start = bounds[b - 1]
            count -= cumulative[b - 1]
            rankInBucket -= cumulative[b - 1]
        }
        return start + (bounds[b] - start) * (rankInBucket / count)
    }

    /// Every input this type builds for quantile `q` over `bounds`, in ascending order of value.
    public static func candidates(_ q: Double, bounds: [Double]) -> [HistogramQuantileInput] {
        let n = observations
        var inputs: [HistogramQuantileInput] = []
        for j in 0..<max(bounds.count - 1, 0) {
            for k in stride(from: n, through: 0, by: -1) {
                var cumulative = [Int](repeating: 0, count: bounds.count + 1)
                for index in cumulative.indices {
                    cumulative[index] = index < j ? 0 : index == j ? k : n
                }
                if let value = quantile(q, bounds: bounds, cumulative: cumulative.map(Double.init)) {
                    inputs.append(HistogramQuantileInput(cumulative: cumulative, valueSeconds: value))
                }
            }
        }
        var above = [Int](repeating: 0, count: bounds.count + 1)
        above[bounds.count] = n
        if let value = quantile(q, bounds: bounds, cumulative: above.map(Double.init)) {
            inputs.append(HistogramQuantileInput(cumulative: above, valueSeconds: value))
        }
        return inputs.sorted { $0.valueSeconds < $1.valueSeconds }
    }

    /// The input whose value in ms is on the `holds` side of `comparison` with `limitMs` and closest to it (values
    /// within a float rounding of the limit left out, as Prometheus might round them to the other side); nil when
    /// there is none.
    public static func closest(
        _ q: Double, bounds: [Double], comparison: ThresholdOperator, limitMs: Double, holds: Bool
    ) -> HistogramQuantileInput? {
        let tolerance = max(abs(limitMs), 1) * 1e-9
        var best: HistogramQuantileInput?
        var bestDistance = Double.infinity
        for input in candidates(q, bounds: bounds) {
            let valueMs = input.valueSeconds * 1000
            let distance = abs(valueMs - limitMs)
            guard comparison.holds(valueMs, limitMs) == holds, distance > tolerance else { continue }
            if distance < bestDistance {
                best = input
                bestDistance = distance
            }
        }
        return best
    }

    /// The input whose value in ms is nearest `valueMs`.
    public static func nearest(_ q: Double, bounds: [Double], valueMs: Double) -> HistogramQuantileInput? {
        candidates(q, bounds: bounds).min { abs($0.valueSeconds * 1000 - valueMs) < abs($1.valueSeconds * 1000 - valueMs) }
    }
}
