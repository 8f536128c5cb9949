/// The mock's seeded prefix-cache model (docs/mock.md, "Prefix cache"): the prompt is cut into blocks of
/// `blockTokens` tokens, each block keyed by a hash chained over the previous block's key (like vLLM's and
/// Mooncake's block hashes), kept in an LRU of `capacityTokens / blockTokens` blocks. A request's
/// `usage.prompt_tokens_details.cached_tokens` is its leading blocks found × `blockTokens`, or 0 when that is below
/// `minTokens`. Defaults follow OpenAI's prompt caching: from 1,024 prompt tokens, in increments of 128.
public struct MockPrefixCacheSettings: Sendable, Equatable, Codable {
    /// Tokens per block; cached tokens come in multiples of it.
    public var blockTokens: Int = 128
    /// Prompts shorter than this are neither looked up nor stored, and a hit shorter than it counts as 0.
    public var minTokens: Int = 1_024
    /// Tokens the cache holds; the LRU keeps `capacityTokens / blockTokens` blocks.
    public var capacityTokens: Int = 1_000_000

    public init(blockTokens: Int = 128, minTokens: Int = 1_024, capacityTokens: Int = 1_000_000) {
        self.blockTokens = blockTokens
        self.minTokens = minTokens
        self.capacityTokens = capacityTokens
    }

    /// Blocks the LRU holds: `capacityTokens / blockTokens` (at least 1 once the settings are valid).
    public var capacityBlocks: Int { blockTokens > 0 ? capacityTokens / blockTokens : 0 }

    /// Allowed ranges (inclusive), checked by `MockSettings.problems()`.
    /// At least 8 tokens a block (vLLM's smallest block size), so the LRU's per-block cost stays small per token.
    public static let blockTokensRange = 8...65_536
    public static let minTokensRange = 0...10_000_000
    public static let capacityTokensRange = 1...1_000_000_000_000
    /// Most blocks the LRU may hold (bounds the mock's memory: under 49 bytes per block, `BlockLRU`; 4,194,304
    /// blocks take about 170 MB).
    public static let maxCapacityBlocks = 1 << 22
}
