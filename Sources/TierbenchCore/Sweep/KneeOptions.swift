/// The thresholds of the knee analysis. Defaults follow docs/sweep.md.
public struct KneeOptions: Sendable, Equatable, Codable {
    /// What goodput counts (requests or tokens per second).
    public var goodput: SweepSpec.GoodputUnit
    /// Error rate (fraction) above which a setting is past the error knee; default 0.01.
    public var errorThreshold: Double
    /// p95 limit in milliseconds; nil = no latency knee.
    public var sloP95Ms: Double?
    /// The throughput knee is the smallest setting reaching this fraction of the plateau; default 0.95.
    public var plateauFraction: Double
    /// "Still growing": the largest setting adds more than this fraction over every smaller one; default 0.05.
    public var growthTolerance: Double
    /// Fewest points a curve needs for a knee; default 3.
    public var minimumPoints: Int

    public init(
        goodput: SweepSpec.GoodputUnit = .requests, errorThreshold: Double = 0.01, sloP95Ms: Double? = nil,
        plateauFraction: Double = 0.95, growthTolerance: Double = 0.05, minimumPoints: Int = 3
    ) {
        self.goodput = goodput
        self.errorThreshold = errorThreshold
        self.sloP95Ms = sloP95Ms
        self.plateauFraction = plateauFraction
        self.growthTolerance = growthTolerance
        self.minimumPoints = minimumPoints
    }

    /// The options a spec implies: its goodput unit, error threshold and SLO.
    public init(spec: SweepSpec) {
        self.init(goodput: spec.goodput, errorThreshold: spec.errorThreshold, sloP95Ms: spec.sloP95Milliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case goodput
        case errorThreshold = "error_threshold"
        case sloP95Ms = "slo_p95_ms"
        case plateauFraction = "plateau_fraction"
        case growthTolerance = "growth_tolerance"
        case minimumPoints = "minimum_points"
    }
}
