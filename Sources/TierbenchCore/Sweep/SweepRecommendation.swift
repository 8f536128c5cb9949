/// The recommendation for one tier in sweep.json: `{ "max_workers": n, "batch_size": m, "reason": "..." }`.
public struct SweepRecommendation: Sendable, Equatable, Codable {
    /// Workers to run with; nil when no setting qualifies (the reason says why).
    public var maxWorkers: Int?
    /// Prompts per request; nil when no setting qualifies.
    public var batchSize: Int?
    public var model: String
    /// The analysis outcome behind it (`knee`, `no_knee_in_grid`, …).
    public var outcome: KneeAnalysis.Outcome
    public var reason: String

    public init(maxWorkers: Int?, batchSize: Int?, model: String, outcome: KneeAnalysis.Outcome, reason: String) {
        self.maxWorkers = maxWorkers
        self.batchSize = batchSize
        self.model = model
        self.outcome = outcome
        self.reason = reason
    }

    /// The recommendation a comparison row makes.
    public init(row: TierComparison.Row) {
        self.init(
            maxWorkers: row.maxWorkers, batchSize: row.batchSize, model: row.model, outcome: row.outcome,
            reason: row.reason)
    }

    enum CodingKeys: String, CodingKey {
        case maxWorkers = "max_workers"
        case batchSize = "batch_size"
        case model, outcome, reason
    }

    /// Encodes `max_workers` and `batch_size` as null when absent, so the keys are always there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxWorkers, forKey: .maxWorkers)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(model, forKey: .model)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
    }
}
