/// One tier's published limits for one model, in real units (nil = no such limit): what a projection needs to
/// know about a tier without running against it.
public struct TierLimits: Sendable, Equatable, Codable {
    public var requestsPerMinute: Int?
    public var requestsPerDay: Int?
    public var tokensPerMinute: Int?
    public var tokensPerDay: Int?
    /// Enqueued Batch API input tokens for the model.
    public var batchQueueTokens: Int?

    public init(
        requestsPerMinute: Int? = nil, requestsPerDay: Int? = nil, tokensPerMinute: Int? = nil,
        tokensPerDay: Int? = nil, batchQueueTokens: Int? = nil
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.requestsPerDay = requestsPerDay
        self.tokensPerMinute = tokensPerMinute
        self.tokensPerDay = tokensPerDay
        self.batchQueueTokens = batchQueueTokens
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "rpm"
        case requestsPerDay = "rpd"
        case tokensPerMinute = "tpm"
        case tokensPerDay = "tpd"
        case batchQueueTokens = "batch_queue"
    }
}
