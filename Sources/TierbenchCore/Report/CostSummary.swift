/// The `cost` block of `summary.json`: what the run's tokens cost at list prices, per 1 000 requests, projected to
/// the job's size, and the budget (docs/metrics.md, "Cost").
public struct CostSummary: Codable, Sendable, Hashable {
    /// The scenario's model and the price table's date and source.
    public var model: String
    public var priceDate: String
    public var priceSource: String
    /// USD per 1M tokens used: standard input and output, and Batch API input and output (half the standard price
    /// when the table lists none).
    public var inputPer1MUSD: Double
    public var outputPer1MUSD: Double
    public var batchInputPer1MUSD: Double
    public var batchOutputPer1MUSD: Double
    /// USD per 1M cached input tokens used (the input price when the table lists no cached price); nil only in
    /// summaries written before cached tokens were priced.
    public var cachedInputPer1MUSD: Double?
    /// `((tokens.prompt − tokens.cached_prompt) × input + tokens.cached_prompt × cached_input
    /// + tokens.completion × output) / 1e6` over measured requests.
    public var usd: Double
    /// `usd / succeeded × 1000`.
    public var per1000RequestsUSD: Double
    /// The job size projected to (`budget.prompts_to_process`), and its cost at the run's cost per prompt:
    /// `usd / prompts_succeeded × N`, with standard and with Batch API prices.
    public var projectedPrompts: Int
    public var projectedUSD: Double
    public var projectedBatchUSD: Double
    /// The spend limit, when the scenario set one.
    public var budget: Budget?

    /// `budget.max_usd` and what happened to it.
    public struct Budget: Codable, Sendable, Hashable {
        public var maxUSD: Double
        /// Cost of every finished request's usage, warmup included.
        public var spentUSD: Double
        /// Whether sending stopped because the next request's estimated cost would have passed `max_usd`.
        public var stopped: Bool

        public init(maxUSD: Double, spentUSD: Double, stopped: Bool) {
            self.maxUSD = maxUSD
            self.spentUSD = spentUSD
            self.stopped = stopped
        }

        enum CodingKeys: String, CodingKey {
            case stopped
            case maxUSD = "max_usd", spentUSD = "spent_usd"
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, usd, budget
        case priceDate = "price_date", priceSource = "price_source"
        case inputPer1MUSD = "input_per_1m_usd", outputPer1MUSD = "output_per_1m_usd"
        case batchInputPer1MUSD = "batch_input_per_1m_usd", batchOutputPer1MUSD = "batch_output_per_1m_usd"
        case cachedInputPer1MUSD = "cached_input_per_1m_usd"
        case per1000RequestsUSD = "per_1000_requests_usd"
        case projectedPrompts = "projected_prompts", projectedUSD = "projected_usd"
        case projectedBatchUSD = "projected_batch_usd"
    }

    /// The cost block of a run, or nil when `table` has no price for `model`.
    public init?(
        recorder: MetricsRecorder, model: String, table: PriceTable, promptsToProcess: Int, budget: Budget? = nil
    ) {
        guard let price = table.modelPrice(for: model) else { return nil }
        self.model = model
        priceDate = table.date
        priceSource = table.source
        inputPer1MUSD = price.input
        outputPer1MUSD = price.output
        batchInputPer1MUSD = price.effectiveBatchInput
        batchOutputPer1MUSD = price.effectiveBatchOutput
        cachedInputPer1MUSD = price.effectiveCachedInput
        let standard = price.usd(recorder.usage)
        let batch = price.batchUSD(recorder.usage)
        usd = Self.rounded(standard)
        per1000RequestsUSD = recorder.succeeded > 0 ? Self.rounded(standard / Double(recorder.succeeded) * 1_000) : 0
        projectedPrompts = promptsToProcess
        let perPrompt = recorder.promptsSucceeded > 0 ? 1 / Double(recorder.promptsSucceeded) : 0
        projectedUSD = Self.rounded(standard * perPrompt * Double(promptsToProcess))
        projectedBatchUSD = Self.rounded(batch * perPrompt * Double(promptsToProcess))
        self.budget = budget
    }

    /// USD rounded to 1e-9 (a nano-dollar), enough for the cost of one small request.
    public static func rounded(_ usd: Double) -> Double {
        usd.isFinite ? (usd * 1e9).rounded() / 1e9 : 0
    }

    /// The console line: `$0.0123 (gpt-4o-mini, prices of 2026-10-04) · $0.0612 per 1,000 requests · …`.
    public var consoleLine: String {
        func dollars(_ value: Double) -> String { "$" + ConsoleSummary.fixed(value, value < 1 ? 6 : 2) }
        var text = "\(dollars(usd)) (\(model), prices of \(priceDate)) · \(dollars(per1000RequestsUSD)) per 1,000 requests · "
        text += "\(ConsoleSummary.grouped(projectedPrompts)) prompts ≈ \(dollars(projectedUSD)) "
        text += "(\(dollars(projectedBatchUSD)) with the Batch API)"
        if let budget {
            text += " · budget \(dollars(budget.maxUSD)): spent \(dollars(budget.spentUSD))"
            if budget.stopped { text += ", stopped sending" }
        }
        return text
    }
}
