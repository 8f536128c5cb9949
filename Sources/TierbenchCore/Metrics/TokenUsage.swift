/// Token counts of one response (or a sum of responses), as the API's `usage` object reports them.
///
/// Embeddings report only `prompt_tokens` and `total_tokens`; their `completion` is 0. All counts are tokens.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens (`prompt_tokens`), cached ones included.
    public var prompt: Int
    /// Generated tokens (`completion_tokens`); 0 for embeddings.
    public var completion: Int
    /// `total_tokens` as reported (normally prompt + completion).
    public var total: Int
    /// The part of `prompt` served from the prompt cache (`prompt_tokens_details.cached_tokens`), billed at the
    /// cached-input price; 0 when the response did not report it.
    public var cachedPrompt: Int

    /// A usage; `total` defaults to `prompt + completion` when the response did not state it.
    public init(prompt: Int, completion: Int = 0, total: Int? = nil, cachedPrompt: Int = 0) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? (prompt &+ completion)
        self.cachedPrompt = cachedPrompt
    }

    /// No tokens.
    public static let zero = TokenUsage(prompt: 0, completion: 0, total: 0)

    /// Field-wise sum.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: lhs.prompt &+ rhs.prompt, completion: lhs.completion &+ rhs.completion,
                   total: lhs.total &+ rhs.total, cachedPrompt: lhs.cachedPrompt &+ rhs.cachedPrompt)
    }

    /// Adds `rhs` field by field.
    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
        lhs = lhs + rhs
    }

    enum CodingKeys: String, CodingKey {
        case prompt, completion, total
        case cachedPrompt = "cached_prompt"
    }

    /// Decodes a usage; `cached_prompt` is optional (0) so values written before it existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(Int.self, forKey: .prompt)
        completion = try container.decode(Int.self, forKey: .completion)
        total = try container.decode(Int.self, forKey: .total)
        cachedPrompt = try container.decodeIfPresent(Int.self, forKey: .cachedPrompt) ?? 0
    }
}
