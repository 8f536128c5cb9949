/// The Kneedle knee detector (Satopää et al., 2011) for an increasing, concave curve, used as a cross-check of
/// the plateau rule: scale x and y to [0, 1] and take the point where `y′ − x′` is largest.
public enum Kneedle {
    /// Index of the knee of `ys` over `xs` (ascending), or nil when the curve has fewer than three points, is
    /// flat, or never rises above the diagonal (no concave knee).
    public static func kneeIndex(xs: [Double], ys: [Double]) -> Int? {
        let count = min(xs.count, ys.count)
        guard count >= 3,
            let minX = xs.first, let maxX = xs.last, maxX > minX,
            let minY = ys.min(), let maxY = ys.max(), maxY > minY
        else { return nil }
        var bestIndex: Int?
        var bestDifference = 0.0
        for index in 0..<count {
            let x = (xs[index] - minX) / (maxX - minX)
            let y = (ys[index] - minY) / (maxY - minY)
            if y - x > bestDifference {
                bestDifference = y - x
                bestIndex = index
            }
        }
        return bestIndex
    }
}
