import TierbenchCore

/// One model the mock serves, with what `/v1/models` shows and what the mock needs to answer for it.
struct MockModel: Sendable {
    enum Kind: Sendable { case chat, completion, embedding }

    var id: String
    var ownedBy: String
    /// Unix seconds, as `/v1/models` reports.
    var created: Int
    var kind: Kind
    /// The dated snapshot responses name (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`).
    var snapshot: String
    /// Context window in tokens.
    var contextWindow: Int
    /// Default embedding length (embedding models only).
    var embeddingDimensions: Int = 0
    /// Whether `dimensions` may be set (text-embedding-3-* only).
    var acceptsDimensions = false
    /// List prices (USD per 1M tokens) from the one shipped table, `BuiltInPrices.table`: the client prices a run
    /// with the same table, so the mock's spend equals the run's cost.
    var price: PriceTable.ModelPrice

    /// Spend in USD for this usage, as `PriceTable` prices it: synchronously `((prompt − cached) × input + cached ×
    /// cached_input + completion × output) / 1e6` (`cached_input` = `input` for a model without a cached price);
    /// batch lines `(prompt × batch_input + completion × batch_output) / 1e6`.
    func cost(promptTokens: Int, cachedTokens: Int, completionTokens: Int, batch: Bool) -> Double {
        let usage = TokenUsage(prompt: promptTokens, completion: completionTokens, cachedPrompt: cachedTokens)
        return batch ? price.batchUSD(usage) : price.usd(usage)
    }
}

/// The models the mock knows: the built-in list plus `MockSettings.extraModels`, looked up by id or snapshot id.
struct ModelCatalog: Sendable {
    /// Models in `/v1/models` order.
    let models: [MockModel]
    private let byID: [String: Int]

    init(extraModels: [String]) {
        var models = Self.builtIn
        for id in extraModels where !models.contains(where: { $0.id == id }) {
            models.append(
                MockModel(
                    id: id, ownedBy: "tierbench", created: 1_700_000_000, kind: .chat, snapshot: id,
                    contextWindow: 128_000, price: Self.extraModelPrice))
        }
        var byID: [String: Int] = [:]
        for (index, model) in models.enumerated() {
            byID[model.snapshot] = byID[model.snapshot] ?? index
            byID[model.id] = index
        }
        self.models = models
        self.byID = byID
    }

    /// The model with this id or snapshot id.
    func model(_ id: String) -> MockModel? {
        byID[id].map { models[$0] }
    }

    /// A model's price in the shipped table (every built-in model is listed there; a missing one would cost 0).
    static func price(_ id: String) -> PriceTable.ModelPrice {
        BuiltInPrices.table.modelPrice(for: id) ?? PriceTable.ModelPrice(input: 0, output: 0)
    }

    /// `extraModels` are priced as gpt-4o-mini.
    static var extraModelPrice: PriceTable.ModelPrice { price("gpt-4o-mini") }

    /// The built-in catalog; prices from `BuiltInPrices.table`, creation times from the real list.
    static let builtIn: [MockModel] = [
        MockModel(
            id: "gpt-4o-mini", ownedBy: "system", created: 1_721_172_741, kind: .chat, snapshot: "gpt-4o-mini-2024-07-18",
            contextWindow: 128_000, price: Self.price("gpt-4o-mini")),
        MockModel(
            id: "gpt-4o", ownedBy: "system", created: 1_715_367_049, kind: .chat, snapshot: "gpt-4o-2024-08-06",
            contextWindow: 128_000, price: Self.price("gpt-4o")),
        MockModel(
            id: "gpt-4.1-mini", ownedBy: "system", created: 1_744_318_173, kind: .chat, snapshot: "gpt-4.1-mini-2025-04-14",
            contextWindow: 1_047_576, price: Self.price("gpt-4.1-mini")),
        MockModel(
            id: "gpt-3.5-turbo", ownedBy: "openai", created: 1_677_610_602, kind: .chat, snapshot: "gpt-3.5-turbo-0125",
            contextWindow: 16_385, price: Self.price("gpt-3.5-turbo")),
        MockModel(
            id: "gpt-3.5-turbo-instruct", ownedBy: "system", created: 1_692_901_427, kind: .completion,
            snapshot: "gpt-3.5-turbo-instruct", contextWindow: 4_096, price: Self.price("gpt-3.5-turbo-instruct")),
        MockModel(
            id: "davinci-002", ownedBy: "system", created: 1_692_634_301, kind: .completion, snapshot: "davinci-002",
            contextWindow: 16_384, price: Self.price("davinci-002")),
        MockModel(
            id: "babbage-002", ownedBy: "system", created: 1_692_634_615, kind: .completion, snapshot: "babbage-002",
            contextWindow: 16_384, price: Self.price("babbage-002")),
        MockModel(
            id: "text-embedding-3-small", ownedBy: "system", created: 1_705_948_997, kind: .embedding,
            snapshot: "text-embedding-3-small", contextWindow: 8_192, embeddingDimensions: 1536, acceptsDimensions: true,
            price: Self.price("text-embedding-3-small")),
        MockModel(
            id: "text-embedding-3-large", ownedBy: "system", created: 1_705_953_180, kind: .embedding,
            snapshot: "text-embedding-3-large", contextWindow: 8_192, embeddingDimensions: 3072, acceptsDimensions: true,
            price: Self.price("text-embedding-3-large")),
        MockModel(
            id: "text-embedding-ada-002", ownedBy: "openai-internal", created: 1_671_217_299, kind: .embedding,
            snapshot: "text-embedding-ada-002", contextWindow: 8_192, embeddingDimensions: 1536, price: Self.price("text-embedding-ada-002")),
    ]
}
