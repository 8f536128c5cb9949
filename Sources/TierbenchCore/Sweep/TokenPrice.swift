/// A model's list price in USD per 1M tokens (openai-api.md §7), used to price throughput when a run has no
/// cost figure of its own.
public struct TokenPrice: Sendable, Equatable, Codable {
    /// USD per 1M input (prompt) tokens.
    public var inputPerMillionUSD: Double
    /// USD per 1M output (completion) tokens.
    public var outputPerMillionUSD: Double

    public init(inputPerMillionUSD: Double, outputPerMillionUSD: Double) {
        self.inputPerMillionUSD = inputPerMillionUSD
        self.outputPerMillionUSD = outputPerMillionUSD
    }

    /// USD per second at the given token rates: `(in/s × input + out/s × output) / 1e6`.
    public func costPerSecond(inputTokensPerSecond: Double, outputTokensPerSecond: Double) -> Double {
        (inputTokensPerSecond * inputPerMillionUSD + outputTokensPerSecond * outputPerMillionUSD) / 1e6
    }

    /// The Batch API discount: batch jobs cost this fraction of the synchronous price (50%).
    public static let batchDiscountFactor = 0.5

    enum CodingKeys: String, CodingKey {
        case inputPerMillionUSD = "input_per_million_usd"
        case outputPerMillionUSD = "output_per_million_usd"
    }
}
