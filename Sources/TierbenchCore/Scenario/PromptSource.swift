/// Where a scenario's prompts come from (`prompts:` in a scenario). `PromptLoader` turns it into prompts.
public enum PromptSource: Sendable, Equatable, Codable {
    /// Prompts written in the scenario itself.
    case inline([String])
    /// A text file, one prompt per non-empty line; relative paths resolve against the scenario's directory.
    case file(String)
    /// A JSON Lines file: `{"prompt": "..."}` lines or whole request bodies (objects with `messages`, `prompt`
    /// or `input`); relative paths resolve against the scenario's directory.
    case jsonl(String)
    /// Deterministic generated text.
    case synthetic(SyntheticPrompts)

    /// The default when a scenario has no `prompts:`: 100 prompts of about 100 ± 20 tokens, seed 1.
    public static let defaultSynthetic = PromptSource.synthetic(SyntheticPrompts())
}

/// Generated prompts: `count` texts of about 4 characters per token, token counts drawn from
/// normal(`meanTokens`, `stddevTokens`) rounded and clamped to 1…1,000,000, all fixed by `seed`.
public struct SyntheticPrompts: Sendable, Equatable, Codable {
    /// Number of distinct prompts, ≥ 1; default 100.
    public var count: Int
    /// Mean prompt length in tokens, > 0; default 100.
    public var meanTokens: Double
    /// Standard deviation of the prompt length in tokens, ≥ 0; default 20.
    public var stddevTokens: Double
    /// Random seed; the same seed always gives the same prompts. Default 1.
    public var seed: UInt64

    public init(count: Int = 100, meanTokens: Double = 100, stddevTokens: Double = 20, seed: UInt64 = 1) {
        self.count = count
        self.meanTokens = meanTokens
        self.stddevTokens = stddevTokens
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case count
        case meanTokens = "mean_tokens"
        case stddevTokens = "stddev_tokens"
        case seed
    }
}
