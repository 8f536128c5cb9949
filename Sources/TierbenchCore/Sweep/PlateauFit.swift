/// A two-segment fit of a saturating curve: a straight ramp (least squares on x) followed by a flat plateau
/// (the mean of its points).
///
/// For every split k (points 0..<k on the ramp, k..<n on the plateau) the fit's squared error is the ramp's
/// least-squares residual plus the plateau's squared deviations from its mean; the split with the smallest error
/// wins (ties: the longer plateau). The plateau estimate is the mean of the plateau points, so noise on a flat
/// top averages out instead of biasing a maximum upwards.
public struct PlateauFit: Sendable, Equatable, Codable {
    /// Index of the first point on the plateau.
    public var plateauStart: Int
    /// Mean of the plateau points (the y unit, e.g. requests per second).
    public var plateau: Double
    /// Number of points on the plateau.
    public var plateauPoints: Int
    /// Sum of squared residuals of the best split.
    public var squaredError: Double

    public init(plateauStart: Int, plateau: Double, plateauPoints: Int, squaredError: Double) {
        self.plateauStart = plateauStart
        self.plateau = plateau
        self.plateauPoints = plateauPoints
        self.squaredError = squaredError
    }

    /// Fits `ys` over `xs` (same length, xs ascending). Returns nil when there are no points.
    public static func fit(xs: [Double], ys: [Double]) -> PlateauFit? {
        let count = min(xs.count, ys.count)
        guard count > 0 else { return nil }
        var best: PlateauFit?
        for split in 0..<count {
            let rampError = linearResidual(xs: Array(xs[0..<split]), ys: Array(ys[0..<split]))
            let top = Array(ys[split..<count])
            let mean = top.reduce(0, +) / Double(top.count)
            let topError = top.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let candidate = PlateauFit(
                plateauStart: split, plateau: mean, plateauPoints: top.count, squaredError: rampError + topError)
            // Strictly smaller only: an equal error keeps the earlier split, i.e. the longer plateau.
            if let current = best,
                candidate.squaredError >= current.squaredError - 1e-12 * max(1, current.squaredError)
            {
                continue
            }
            best = candidate
        }
        return best
    }

    /// Sum of squared residuals of the least-squares line through the points; 0 for fewer than three points.
    static func linearResidual(xs: [Double], ys: [Double]) -> Double {
        let count = Double(xs.count)
        guard xs.count > 2 else { return 0 }
        let meanX = xs.reduce(0, +) / count
        let meanY = ys.reduce(0, +) / count
        var sxx = 0.0
        var sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        let slope = sxx > 0 ? sxy / sxx : 0
        let intercept = meanY - slope * meanX
        return zip(xs, ys).reduce(0) { sum, point in
            let residual = point.1 - (intercept + slope * point.0)
            return sum + residual * residual
        }
    }
}
