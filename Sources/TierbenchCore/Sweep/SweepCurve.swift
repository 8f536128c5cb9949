/// One curve of a sweep: the points sharing tier, model, batch size and rate, ordered by workers ascending.
/// The knee analysis runs on one curve at a time.
public struct SweepCurve: Sendable, Equatable {
    /// What the points of a curve share: everything but the worker count.
    public struct Key: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The tier's label.
        public var tier: String
        public var model: String
        public var batchSize: Int
        /// Open-loop rate in requests per second; nil = closed loop.
        public var rate: Double?

        public init(tier: String, model: String, batchSize: Int, rate: Double? = nil) {
            self.tier = tier
            self.model = model
            self.batchSize = batchSize
            self.rate = rate
        }

        public var description: String {
            var text = "\(tier) · \(model) · batch \(batchSize)"
            if let rate { text += " · rate \(SweepFormat.number(rate))/s" }
            return text
        }

        enum CodingKeys: String, CodingKey {
            case tier, model
            case batchSize = "batch_size"
            case rate
        }
    }

    public var key: Key
    /// The curve's points, one per worker count, ascending.
    public private(set) var points: [SweepPointResult]

    /// A curve of `points` (all with key `key`); sorts by workers and keeps the last point given per worker count.
    public init(key: Key, points: [SweepPointResult]) {
        self.key = key
        var byWorkers: [Int: SweepPointResult] = [:]
        for point in points where point.settings.curveKey == key { byWorkers[point.settings.maxWorkers] = point }
        self.points = byWorkers.keys.sorted().compactMap { byWorkers[$0] }
    }

    /// The worker counts, ascending.
    public var workers: [Int] { points.map(\.settings.maxWorkers) }

    /// Adds (or replaces) a point with this curve's key, keeping workers ascending.
    public mutating func insert(_ point: SweepPointResult) {
        self = SweepCurve(key: key, points: points + [point])
    }
}
