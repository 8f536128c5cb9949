import Foundation

/// List prices per model, in USD per 1 million tokens, with the date they were read.
///
/// The built-in table is the data file `Sources/TierbenchMock/Resources/prices.json` (OpenAI's pricing page as
/// quoted in the project's API reference §7, dated); `BuiltInPrices.table` loads it for the mock's spend and for the
/// engine (`PriceTable.builtIn`). A user's own table (`--price-file`) is JSON of the same shape and replaces it.
public struct PriceTable: Sendable, Equatable, Codable {
    /// Prices of one model in USD per 1M tokens; nil where the model has no such price.
    public struct ModelPrice: Sendable, Equatable, Codable {
        /// Uncached input (prompt) tokens.
        public var input: Double
        /// Input tokens served from the prompt cache (`prompt_tokens_details.cached_tokens`); nil = priced as `input`.
        public var cachedInput: Double?
        /// Output (completion) tokens.
        public var output: Double
        /// Batch API input and output; nil = half the standard price.
        public var batchInput: Double?
        public var batchOutput: Double?

        public init(input: Double, cachedInput: Double? = nil, output: Double, batchInput: Double? = nil,
                    batchOutput: Double? = nil) {
            self.input = input
            self.cachedInput = cachedInput
            self.output = output
            self.batchInput = batchInput
            self.batchOutput = batchOutput
        }

        enum CodingKeys: String, CodingKey {
            case input, output
            case cachedInput = "cached_input"
            case batchInput = "batch_input"
            case batchOutput = "batch_output"
        }

        /// USD per 1M cached input tokens: `cachedInput`, or `input` when the table lists no cached price.
        public var effectiveCachedInput: Double { cachedInput ?? input }

        /// USD per 1M Batch API input and output tokens: the listed price, or half the standard one.
        public var effectiveBatchInput: Double { batchInput ?? input / 2 }
        public var effectiveBatchOutput: Double { batchOutput ?? output / 2 }

        /// Cost in USD of `usage` at the standard prices:
        /// `((prompt − cached) × input + cached × cached_input + completion × output) / 1e6`, where `cached` is
        /// `usage.cachedPrompt` clamped to `0...prompt` (a server reporting more cached than prompt tokens is not
        /// allowed to make the cost negative).
        public func usd(_ usage: TokenUsage) -> Double {
            let cached = Double(min(max(usage.cachedPrompt, 0), max(usage.prompt, 0)))
            let uncached = Double(usage.prompt) - cached
            return (uncached * input + cached * effectiveCachedInput + Double(usage.completion) * output) / 1e6
        }

        /// Cost in USD of `usage` at Batch API prices: `(prompt × batch_input + completion × batch_output) / 1e6`.
        /// Every prompt token is priced at `batch_input` (the table has no cached batch price).
        public func batchUSD(_ usage: TokenUsage) -> Double {
            (Double(usage.prompt) * effectiveBatchInput + Double(usage.completion) * effectiveBatchOutput) / 1e6
        }
    }

    /// When the prices were read (ISO date), and from where.
    public var date: String
    public var source: String
    /// Prices by model name; a dated snapshot (`gpt-4o-mini-2024-07-18`) falls back to its base name.
    public var models: [String: ModelPrice]

    public init(date: String, source: String, models: [String: ModelPrice]) {
        self.date = date
        self.source = source
        self.models = models
    }

    /// The price of `model`, or of the longest known name it starts with (snapshots), or nil.
    public func modelPrice(for model: String) -> ModelPrice? {
        if let price = models[model] { return price }
        let match = models.keys.filter { model.hasPrefix($0 + "-") }.max { $0.count < $1.count }
        return match.flatMap { models[$0] }
    }

    /// Every model's input/output price, for `SweepResult.build`.
    public var sweepPrices: [String: TokenPrice] {
        models.mapValues { TokenPrice(inputPerMillionUSD: $0.input, outputPerMillionUSD: $0.output) }
    }

    /// Cost in USD of `promptTokens` input (of which `cachedPromptTokens` were cached) and `completionTokens`
    /// output tokens of `model`; nil for an unknown model. See `ModelPrice.usd` and `ModelPrice.batchUSD`.
    /// - Parameter batch: use Batch API prices (falling back to half the standard price).
    public func cost(
        model: String, promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int = 0, batch: Bool = false
    ) -> Double? {
        guard let price = modelPrice(for: model) else { return nil }
        let usage = TokenUsage(prompt: promptTokens, completion: completionTokens, cachedPrompt: cachedPromptTokens)
        return batch ? price.batchUSD(usage) : price.usd(usage)
    }

    /// Reads a price file (JSON of this type's shape).
    public static func decode(_ data: Data) throws -> PriceTable {
        try JSONDecoder().decode(PriceTable.self, from: data)
    }
}
