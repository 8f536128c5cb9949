/// One ready-to-send request body and what it carries, for throughput, throttling and cost estimates.
public struct RequestBody: Sendable, Equatable {
    /// Compact JSON, UTF-8.
    public var bytes: [UInt8]
    /// Prompts carried by this body (batch_size for text prompts; the array length of a whole body's
    /// `prompt`/`input`; 1 for chat).
    public var promptCount: Int
    /// Estimated prompt tokens: characters of the prompt-carrying field (`messages`, `prompt` or `input`) / 4,
    /// rounded up, at least 1 per prompt.
    public var estimatedPromptTokens: Int
    /// The body's `max_completion_tokens`, else `max_tokens`; nil when it sets neither.
    public var maxTokens: Int?
    /// The body's `n` (completions per prompt); default 1.
    public var choices: Int

    public init(bytes: [UInt8], promptCount: Int, estimatedPromptTokens: Int, maxTokens: Int?, choices: Int) {
        self.bytes = bytes
        self.promptCount = promptCount
        self.estimatedPromptTokens = estimatedPromptTokens
        self.maxTokens = maxTokens
        self.choices = choices
    }

    /// The body as text (for logs and tests).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
