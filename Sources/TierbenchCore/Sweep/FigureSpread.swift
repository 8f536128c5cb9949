/// The spread of one figure over a point's repetitions: extremes and quartiles (linear interpolation between
/// order statistics, the "type 7" quantile).
public struct FigureSpread: Sendable, Equatable, Codable {
    public var min: Double
    public var max: Double
    /// First and third quartiles.
    public var q1: Double
    public var q3: Double

    public init(min: Double, max: Double, q1: Double, q3: Double) {
        self.min = min
        self.max = max
        self.q1 = q1
        self.q3 = q3
    }

    /// The interquartile range, `q3 − q1`.
    public var iqr: Double { q3 - q1 }

    /// The spread of `values`; nil when there are none.
    public init?(of values: [Double]) {
        let sorted = values.sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        self.init(
            min: first, max: last,
            q1: Self.quantile(sorted: sorted, 0.25), q3: Self.quantile(sorted: sorted, 0.75))
    }

    /// The median of `values` (mean of the middle two for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        return quantile(sorted: sorted, 0.5)
    }

    /// The `p` quantile (0…1) of ascending, non-empty `sorted`, interpolating linearly between order statistics.
    static func quantile(sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    private enum CodingKeys: String, CodingKey {
        case min, max, q1, q3, iqr
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            min: try container.decode(Double.self, forKey: .min), max: try container.decode(Double.self, forKey: .max),
            q1: try container.decode(Double.self, forKey: .q1), q3: try container.decode(Double.self, forKey: .q3))
    }

    /// Encodes `min`, `max`, `q1`, `q3` and the derived `iqr`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(min, forKey: .min)
        try container.encode(max, forKey: .max)
        try container.encode(q1, forKey: .q1)
        try container.encode(q3, forKey: .q3)
        try container.encode(iqr, forKey: .iqr)
    }
}
