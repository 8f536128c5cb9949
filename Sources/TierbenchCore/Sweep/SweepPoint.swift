/// One point of a sweep as stored in sweep.json: its settings and figures, plus the engine's full run
/// summaries (one per repetition) and merged latency histogram.
public struct SweepPoint: Sendable, Equatable, Codable {
    /// The settings of one grid point: which tier, model, batch size, arrival rate and worker count it runs.
    public struct Settings: Sendable, Hashable, Codable, CustomStringConvertible {
        public var tier: SweepTier
        public var model: String
        /// Prompts per request.
        public var batchSize: Int
        /// Open-loop arrival rate in requests per second (real units); nil = closed loop.
        public var rate: Double?
        /// Closed-loop workers; under an open-loop rate, the cap on requests in flight.
        public var maxWorkers: Int

        public init(tier: SweepTier, model: String, batchSize: Int, rate: Double? = nil, maxWorkers: Int) {
            self.tier = tier
            self.model = model
            self.batchSize = batchSize
            self.rate = rate
            self.maxWorkers = maxWorkers
        }

        /// The curve this point belongs to: everything but the worker count.
        public var curveKey: SweepCurve.Key {
            SweepCurve.Key(tier: tier.label, model: model, batchSize: batchSize, rate: rate)
        }

        /// The same settings with another worker count (a refinement point).
        public func with(maxWorkers workers: Int) -> Settings {
            var copy = self
            copy.maxWorkers = workers
            return copy
        }

        public var description: String {
            var text = "\(tier.label) \(model) batch \(batchSize) workers \(maxWorkers)"
            if let rate { text += " rate \(SweepFormat.number(rate))/s" }
            return text
        }

        enum CodingKeys: String, CodingKey {
            case tier, model
            case batchSize = "batch_size"
            case rate
            case maxWorkers = "max_workers"
        }
    }

    /// Settings, per-repetition figures, their median and spread.
    public var result: SweepPointResult
    /// The full run summary JSON of each repetition, as the engine wrote summary.json; may be empty.
    public var runSummaries: [JSONValue]
    /// The latency histogram of all repetitions merged (the engine's serialized form); nil when not kept.
    public var histogram: JSONValue?

    public init(result: SweepPointResult, runSummaries: [JSONValue] = [], histogram: JSONValue? = nil) {
        self.result = result
        self.runSummaries = runSummaries
        self.histogram = histogram
    }

    public var settings: Settings { result.settings }

    private enum ExtraKeys: String, CodingKey {
        case runSummaries = "run_summaries"
        case histogram
    }

    /// Decodes the flat object written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        result = try SweepPointResult(from: decoder)
        let container = try decoder.container(keyedBy: ExtraKeys.self)
        runSummaries = try container.decodeIfPresent([JSONValue].self, forKey: .runSummaries) ?? []
        histogram = try container.decodeIfPresent(JSONValue.self, forKey: .histogram)
    }

    /// Encodes one flat object: the result's keys (`settings`, `figures`, `spread`, `runs`) plus
    /// `run_summaries` and `histogram`.
    public func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(runSummaries, forKey: .runSummaries)
        try container.encodeIfPresent(histogram, forKey: .histogram)
    }
}
