import Foundation

/// List prices per model, in USD per 1 million tokens, with the date they were read.
///
/// The built-in table is the data file `Sources/TierbenchEngine/Resources/prices.json` (OpenAI's pricing page as
/// quoted in the project's API reference §7, dated); the engine loads it as `PriceTable.builtIn`. A user's own table
/// (`--price-file`) is JSON of the same shape and replaces it.
public struct PriceTable: Sendable, Equatable, Codable {
    /// Prices of one model per 1M tokens; nil where the model has no such price.
    public struct ModelPrice: Sendable, Equatable, Codable {
        public var input: Double
        public var cachedInput: Double?
        public var output: Double
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

    /// Input/output prices of `model` for the sweep's cost figures.
    public func price(for model: String) -> TokenPrice? {
        modelPrice(for: model).map { TokenPrice(inputPerMillionUSD: $0.input, outputPerMillionUSD: $0.output) }
    }

    /// Every model's input/output price, for `SweepResult.build`.
    public var sweepPrices: [String: TokenPrice] {
        models.mapValues { TokenPrice(inputPerMillionUSD: $0.input, outputPerMillionUSD: $0.output) }
    }

    /// Cost in USD of `prompt` input and `completion` output tokens of `model`; nil for an unknown model.
    /// - Parameter batch: use Batch API prices (falling back to half the standard price).
    public func cost(model: String, promptTokens: Int, completionTokens: Int, batch: Bool = false) -> Double? {
        guard let price = modelPrice(for: model) else { return nil }
        let input = batch ? (price.batchInput ?? price.input / 2) : price.input
        let output = batch ? (price.batchOutput ?? price.output / 2) : price.output
        return (Double(promptTokens) * input + Double(completionTokens) * output) / 1e6
    }

    /// Reads a price file (JSON of this type's shape).
    public static func decode(_ data: Data) throws -> PriceTable {
        try JSONDecoder().decode(PriceTable.self, from: data)
    }

    /// USD per token (not per million) of `model`'s standard input and output; nil for an unknown model.
    public func perToken(for model: String) -> (input: Double, output: Double)? {
        modelPrice(for: model).map { ($0.input / 1e6, $0.output / 1e6) }
    }
}
