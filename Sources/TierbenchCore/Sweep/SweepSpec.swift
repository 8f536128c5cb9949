/// What a sweep measures: the axes of its grid, repetitions, refinement, and the limits the analysis applies.
///
/// The `sweep:` section of a scenario (docs/sweep.md lists the YAML keys); `tierbench sweep` flags override it.
/// Each point of the grid runs the scenario's `load` stop condition and warmup with the point's settings.
public struct SweepSpec: Sendable, Equatable, Codable {
    /// What goodput counts: successful requests or successful tokens, per second, within the SLO.
    public enum GoodputUnit: String, Sendable, Equatable, Codable, CaseIterable {
        case requests
        case tokens
    }

    /// Closed-loop worker counts (`max_workers`); under an open-loop `rate` they cap the requests in flight.
    public var maxWorkers: WorkerAxis
    /// Prompts per request (`batch_size`), ≥ 1; > 1 only where the endpoint takes arrays.
    public var batchSizes: [Int]
    /// Open-loop arrival rates in requests per second, real units (`rate`); empty = closed loop only.
    public var rates: [Double]
    /// Tiers to compare (`tier`): mock presets or labelled real targets.
    public var tiers: [SweepTier]
    /// Models to compare (`model`).
    public var models: [String]
    /// Runs per point, ≥ 1 (`repetitions`); figures are the median, with min/max/IQR as the spread.
    public var repetitions: Int
    /// Add points between a knee's neighbours by bisection after the coarse grid (`refine`).
    public var refine: Bool
    /// Most refinement points per curve (`point_budget`), ≥ 0.
    public var pointBudget: Int
    /// p95 latency limit (`slo_p95`, e.g. `2s`); nil = no SLO (no latency knee, goodput counts every success).
    public var sloP95: TimeSpan?
    /// Error rate (a fraction, 429s included) above which a setting is past the error knee (`error_threshold`).
    public var errorThreshold: Double
    /// Prompts in the projected job (`prompts_to_process`): the comparison's wall time and cost are for this many.
    public var promptsToProcess: Int
    /// The unit of goodput (`goodput`): `requests` (default) or `tokens`.
    public var goodput: GoodputUnit

    public init(
        maxWorkers: WorkerAxis,
        batchSizes: [Int] = [1],
        rates: [Double] = [],
        tiers: [SweepTier] = [.unlimitedMock],
        models: [String],
        repetitions: Int = 1,
        refine: Bool = false,
        pointBudget: Int = 8,
        sloP95: TimeSpan? = nil,
        errorThreshold: Double = 0.01,
        promptsToProcess: Int = 10_000,
        goodput: GoodputUnit = .requests
    ) {
        self.maxWorkers = maxWorkers
        self.batchSizes = batchSizes
        self.rates = rates
        self.tiers = tiers
        self.models = models
        self.repetitions = repetitions
        self.refine = refine
        self.pointBudget = pointBudget
        self.sloP95 = sloP95
        self.errorThreshold = errorThreshold
        self.promptsToProcess = promptsToProcess
        self.goodput = goodput
    }

    /// The SLO in milliseconds, or nil without one.
    public var sloP95Milliseconds: Double? { sloP95?.milliseconds }

    /// Human-readable problems, each naming its YAML key; empty when the spec can run.
    public func validate() -> [String] {
        var problems = maxWorkers.problems
        if batchSizes.isEmpty { problems.append("batch_size: the list is empty") }
        for size in batchSizes where size < 1 || size > ScenarioLimits.maxBatchSize {
            problems.append("batch_size: \(size) is outside 1…\(ScenarioLimits.maxBatchSize)")
        }
        if Set(batchSizes).count != batchSizes.count { problems.append("batch_size: a size is listed twice") }
        for rate in rates where !(rate >= ScenarioLimits.minRate && rate <= ScenarioLimits.maxRate) {
            problems.append("rate: \(rate) must be a positive number of requests per second")
        }
        if Set(rates).count != rates.count { problems.append("rate: a rate is listed twice") }
        if tiers.isEmpty { problems.append("tier: the list is empty") }
        for tier in tiers where tier.label.isEmpty { problems.append("tier: a tier has an empty label") }
        if Set(tiers.map(\.label)).count != tiers.count { problems.append("tier: two tiers share a label") }
        if models.isEmpty { problems.append("model: the list is empty") }
        for model in models where model.isEmpty { problems.append("model: a model name is empty") }
        if Set(models).count != models.count { problems.append("model: a model is listed twice") }
        if repetitions < 1 || repetitions > 100 { problems.append("repetitions: \(repetitions) is outside 1…100") }
        if pointBudget < 0 { problems.append("point_budget: \(pointBudget) is negative") }
        if let slo = sloP95, slo.nanoseconds <= 0 { problems.append("slo_p95: \(slo) must be longer than zero") }
        if !(errorThreshold >= 0 && errorThreshold < 1) {
            problems.append("error_threshold: \(errorThreshold) must be a fraction in [0, 1), e.g. 0.01 for 1%")
        }
        if promptsToProcess < 1 { problems.append("prompts_to_process: \(promptsToProcess) is below 1") }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case maxWorkers = "max_workers"
        case batchSizes = "batch_size"
        case rates = "rate"
        case tiers = "tier"
        case models = "model"
        case repetitions, refine
        case pointBudget = "point_budget"
        case sloP95 = "slo_p95"
        case errorThreshold = "error_threshold"
        case promptsToProcess = "prompts_to_process"
        case goodput
    }
}

extension SweepSpec {
    /// Decodes the `sweep:` keys, applying the documented defaults for every key but `max_workers` and `model`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            maxWorkers: try container.decode(WorkerAxis.self, forKey: .maxWorkers),
            batchSizes: try container.decodeIfPresent([Int].self, forKey: .batchSizes) ?? [1],
            rates: try container.decodeIfPresent([Double].self, forKey: .rates) ?? [],
            tiers: try container.decodeIfPresent([SweepTier].self, forKey: .tiers) ?? [.unlimitedMock],
            models: try container.decode([String].self, forKey: .models),
            repetitions: try container.decodeIfPresent(Int.self, forKey: .repetitions) ?? 1,
            refine: try container.decodeIfPresent(Bool.self, forKey: .refine) ?? false,
            pointBudget: try container.decodeIfPresent(Int.self, forKey: .pointBudget) ?? 8,
            sloP95: try container.decodeIfPresent(TimeSpan.self, forKey: .sloP95),
            errorThreshold: try container.decodeIfPresent(Double.self, forKey: .errorThreshold) ?? 0.01,
            promptsToProcess: try container.decodeIfPresent(Int.self, forKey: .promptsToProcess) ?? 10_000,
            goodput: try container.decodeIfPresent(GoodputUnit.self, forKey: .goodput) ?? .requests)
    }
}
