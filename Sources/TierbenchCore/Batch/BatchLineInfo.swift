/// What validation learns from one good batch input line.
public struct BatchLineInfo: Sendable, Equatable {
    public var customID: String
    public var model: String
    /// The line's `body`: the request the line stands for.
    public var body: JSONValue
    /// `TokenEstimator`'s estimate of the body's prompt tokens: what the enqueued-token limit counts.
    public var inputTokens: Int
    /// Inputs of an `/v1/embeddings` body (a string is one), else 0.
    public var embeddingInputs: Int
    /// The line's UTF-8 bytes plus its newline.
    public var byteCount: Int

    public init(
        customID: String, model: String, body: JSONValue, inputTokens: Int, embeddingInputs: Int, byteCount: Int
    ) {
        self.customID = customID
        self.model = model
        self.body = body
        self.inputTokens = inputTokens
        self.embeddingInputs = embeddingInputs
        self.byteCount = byteCount
    }
}
