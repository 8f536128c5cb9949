import Foundation

/// List prices per model, in USD per 1 million tokens, with the date they were read.
///
/// The built-in table is OpenAI's pricing page as quoted in the project's API reference (§7, a copy mentioning
/// events of 2026-07-30, cross-checked with model pages of 2026-10-04). A user's own table (`--price-file`) is JSON
/// of the same shape and replaces it.
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

    /// The reference's prices (USD per 1M tokens).
    public static let builtIn = PriceTable(
        date: "2026-10-04",
        source: "OpenAI pricing page (copy mentioning 2026-07-30) and model pages fetched 2026-10-04",
        models: [
            "gpt-4o-mini": .init(input: 0.15, cachedInput: 0.075, output: 0.60, batchInput: 0.075, batchOutput: 0.30),
            "gpt-4o": .init(input: 2.50, cachedInput: 1.25, output: 10.00, batchInput: 1.25, batchOutput: 5.00),
            "gpt-4o-2024-05-13": .init(input: 5.00, output: 15.00, batchInput: 2.50, batchOutput: 7.50),
            "gpt-4.1-mini": .init(input: 0.40, cachedInput: 0.10, output: 1.60, batchInput: 0.20, batchOutput: 0.80),
            "gpt-3.5-turbo": .init(input: 0.50, output: 1.50, batchInput: 0.25, batchOutput: 0.75),
            "gpt-3.5-turbo-instruct": .init(input: 1.50, output: 2.00),
            "davinci-002": .init(input: 2.00, output: 2.00, batchInput: 1.00, batchOutput: 1.00),
            "babbage-002": .init(input: 0.40, output: 0.40, batchInput: 0.20, batchOutput: 0.20),
            "text-embedding-3-small": .init(input: 0.02, output: 0, batchInput: 0.01, batchOutput: 0),
            "text-embedding-3-large": .init(input: 0.13, output: 0, batchInput: 0.065, batchOutput: 0),
            "text-embedding-ada-002": .init(input: 0.10, output: 0),
        ])
}
