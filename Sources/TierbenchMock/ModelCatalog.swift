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
    /// USD per 1M input tokens (reference §7).
    var inputPrice: Double
    /// USD per 1M output tokens.
    var outputPrice: Double

    /// Spend in USD for this usage.
    func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * inputPrice + Double(completionTokens) * outputPrice) / 1_000_000
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
                    contextWindow: 128_000, inputPrice: 0.15, outputPrice: 0.60))
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

    /// The built-in catalog; prices from shared/reference/openai-api.md §7, creation times from the real list.
    static let builtIn: [MockModel] = [
        MockModel(
            id: "gpt-4o-mini", ownedBy: "system", created: 1_721_172_741, kind: .chat, snapshot: "gpt-4o-mini-2024-07-18",
            contextWindow: 128_000, inputPrice: 0.15, outputPrice: 0.60),
        MockModel(
            id: "gpt-4o", ownedBy: "system", created: 1_715_367_049, kind: .chat, snapshot: "gpt-4o-2024-08-06",
            contextWindow: 128_000, inputPrice: 2.50, outputPrice: 10.00),
        MockModel(
            id: "gpt-4.1-mini", ownedBy: "system", created: 1_744_318_173, kind: .chat, snapshot: "gpt-4.1-mini-2025-04-14",
            contextWindow: 1_047_576, inputPrice: 0.40, outputPrice: 1.60),
        MockModel(
            id: "gpt-3.5-turbo", ownedBy: "openai", created: 1_677_610_602, kind: .chat, snapshot: "gpt-3.5-turbo-0125",
            contextWindow: 16_385, inputPrice: 0.50, outputPrice: 1.50),
        MockModel(
            id: "gpt-3.5-turbo-instruct", ownedBy: "system", created: 1_692_901_427, kind: .completion,
            snapshot: "gpt-3.5-turbo-instruct", contextWindow: 4_096, inputPrice: 1.50, outputPrice: 2.00),
        MockModel(
            id: "davinci-002", ownedBy: "system", created: 1_692_634_301, kind: .completion, snapshot: "davinci-002",
            contextWindow: 16_384, inputPrice: 2.00, outputPrice: 2.00),
        MockModel(
            id: "babbage-002", ownedBy: "system", created: 1_692_634_615, kind: .completion, snapshot: "babbage-002",
            contextWindow: 16_384, inputPrice: 0.40, outputPrice: 0.40),
        MockModel(
            id: "text-embedding-3-small", ownedBy: "system", created: 1_705_948_997, kind: .embedding,
            snapshot: "text-embedding-3-small", contextWindow: 8_192, embeddingDimensions: 1536, acceptsDimensions: true,
            inputPrice: 0.02, outputPrice: 0),
        MockModel(
            id: "text-embedding-3-large", ownedBy: "system", created: 1_705_953_180, kind: .embedding,
            snapshot: "text-embedding-3-large", contextWindow: 8_192, embeddingDimensions: 3072, acceptsDimensions: true,
            inputPrice: 0.13, outputPrice: 0),
        MockModel(
            id: "text-embedding-ada-002", ownedBy: "openai-internal", created: 1_671_217_299, kind: .embedding,
            snapshot: "text-embedding-ada-002", contextWindow: 8_192, embeddingDimensions: 1536, inputPrice: 0.10,
            outputPrice: 0),
    ]
}
