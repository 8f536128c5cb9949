/// Token counts of one response (or a sum of responses), as the API's `usage` object reports them.
///
/// Embeddings report only `prompt_tokens` and `total_tokens`; their `completion` is 0.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens (`prompt_tokens`).
    public var prompt: Int
    /// Generated tokens (`completion_tokens`); 0 for embeddings.
    public var completion: Int
    /// `total_tokens` as reported (normally prompt + completion).
    public var total: Int

    /// A usage; `total` defaults to `prompt + completion` when the response did not state it.
    public init(prompt: Int, completion: Int = 0, total: Int? = nil) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? (prompt &+ completion)
    }

    /// No tokens.
    public static let zero = TokenUsage(prompt: 0, completion: 0, total: 0)

    /// Field-wise sum.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: lhs.prompt &+ rhs.prompt, completion: lhs.completion &+ rhs.completion,
                   total: lhs.total &+ rhs.total)
    }

    /// Adds `rhs` field by field.
    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
        lhs = lhs + rhs
    }
}
