/// The largest values a scenario may hold, so that every figure derived from them (schedules, token and cost
/// estimates, prompt text, mock token buckets) stays far inside `Int64` and `Double`'s exact integers and memory stays
/// bounded. Each is documented in docs/scenarios.md ("Limits"); a value beyond one is an error naming the key.
public enum ScenarioLimits {
    /// Any duration in a scenario: 30 days.
    public static let maxDuration = TimeSpan(nanoseconds: 30 * 86_400 * 1_000_000_000)
    /// `load.stages` entries (so their total stays ≤ 30,000 days, within Int64 nanoseconds).
    public static let maxStages = 1_000
    /// `load.requests` and budget/sweep prompt counts.
    public static let maxRequests = 1_000_000_000
    /// Prompts per request (`batch_size`, sweep batch sizes): OpenAI takes at most 2,048 inputs per request.
    public static let maxBatchSize = 2_048
    /// Workers, waves and stage workers.
    public static let maxWorkers = 100_000
    /// Arrival rates (requests per second).
    public static let maxRate = 1_000_000.0
    /// The smallest non-zero rate (requests per second): one request in under 3 hours.
    public static let minRate = 0.0001
    /// Tokens per request in a template (`max_tokens`, `max_completion_tokens`) or a synthetic prompt's mean.
    public static let maxTokensPerRequest = 1_000_000
    /// Synthetic prompt text for the whole run, estimated as count × (mean + 3 stddev) × 4 bytes: 256 MiB.
    public static let maxSyntheticPromptBytes = 256 * 1024 * 1024
    /// Requests or tokens per minute or per day, in mock tiers and client throttles.
    public static let maxRateLimit = 1_000_000_000_000
    /// Time compression of the mock and sweep tiers.
    public static let maxTimeScale = 1_000_000.0
    /// Values (scalars, lists and mappings, each alias use counted) in a `request:` body template.
    public static let maxTemplateValues = 100_000
    /// Money (`budget.max_usd`, `mock.spend_budget_usd`).
    public static let maxUSD = 1_000_000_000.0
}
