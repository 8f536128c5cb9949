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

    /// Largest figure a response's usage may report per field (10^9 tokens); `UsageScanner` classes a response
    /// with a larger, negative or non-integer figure as `invalid_usage` and never sums it.
    public static let maximumField = 1_000_000_000

    /// A usage; `total` defaults to `prompt + completion` when the response did not state it.
    public init(prompt: Int, completion: Int = 0, total: Int? = nil, cachedPrompt: Int = 0) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? Self.saturatingSum(prompt, completion)
        self.cachedPrompt = cachedPrompt
    }

    /// No tokens.
    public static let zero = TokenUsage(prompt: 0, completion: 0, total: 0)

    /// Field-wise sum, saturating at `Int.max` / `Int.min` (a counter never wraps or traps).
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(prompt: saturatingSum(lhs.prompt, rhs.prompt),
                   completion: saturatingSum(lhs.completion, rhs.completion),
                   total: saturatingSum(lhs.total, rhs.total),
                   cachedPrompt: saturatingSum(lhs.cachedPrompt, rhs.cachedPrompt))
    }

    /// `lhs + rhs`, clamped to `Int.min…Int.max` instead of overflowing.
    @inlinable
    public static func saturatingSum(_ lhs: Int, _ rhs: Int) -> Int {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? .max : .min
    }

    /// `lhs − rhs`, clamped to `Int.min…Int.max` instead of overflowing.
    @inlinable
    public static func saturatingDifference(_ lhs: Int, _ rhs: Int) -> Int {
        let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
        guard overflow else { return difference }
        return rhs < 0 ? .max : .min
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
