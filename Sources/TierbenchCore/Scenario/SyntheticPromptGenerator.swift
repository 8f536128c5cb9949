/// Makes deterministic synthetic prompt texts: about 4 characters per token, lengths drawn from a normal law.
public enum SyntheticPromptGenerator {
    /// ASCII characters per token: the shared estimate `TokenEstimator.bytesPerToken` (OpenAI's rule of thumb).
    public static let charactersPerToken = TokenEstimator.bytesPerToken

    /// Plain English words, so the text tokenizes like ordinary prose.
    private static let words = [
        "the", "model", "answer", "question", "river", "mountain", "history", "about", "write", "short", "story",
        "explain", "why", "light", "travels", "faster", "than", "sound", "city", "ancient", "summary", "of",
        "network", "latency", "measure", "careful", "benchmark", "request", "please", "list", "three", "reasons",
        "and", "give", "an", "example", "for", "each", "one", "describe", "quiet", "morning", "in", "small",
        "village", "near", "sea", "with", "boats", "green", "hills", "what", "is", "best", "way", "to", "learn",
    ]

    /// The longest prompt drawn, in tokens: the largest `mean` a scenario may give.
    public static let maxDrawTokens = ScenarioLimits.maxTokensPerRequest

    /// The prompt texts for `settings`: `count` texts whose lengths in tokens are normal(mean, stddev) draws,
    /// rounded and clamped to 1 … min(mean + 6 stddev, `maxDrawTokens`); each text is exactly `tokens × 4`
    /// characters long.
    public static func generate(_ settings: SyntheticPrompts) -> [String] {
        let widest = (settings.meanTokens + 6 * settings.stddevTokens).rounded()
        let longest = widest.isNaN ? 1 : Swift.max(1, Swift.min(widest, Double(maxDrawTokens)))
        var random = SplitMix64(seed: settings.seed)
        var prompts: [String] = []
        prompts.reserveCapacity(settings.count)
        for _ in 0..<settings.count {
            let draw = random.normal(mean: settings.meanTokens, stddev: settings.stddevTokens).rounded()
            // Clamped before converting: a wide stddev draws values Int cannot hold.
            let tokens = draw.isNaN ? 1 : Int(Swift.min(Swift.max(draw, 1), longest))
            prompts.append(text(characters: tokens * charactersPerToken, random: &random))
        }
        return prompts
    }

    /// A deterministic text of exactly `tokens` tokens by `TokenEstimator` (`tokens × 4` ASCII characters).
    public static func text(tokens: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        return text(characters: Swift.max(1, tokens) * charactersPerToken, random: &random)
    }

    private static func text(characters: Int, random: inout SplitMix64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(characters + 16)
        while out.count < characters {
            if !out.isEmpty { out.append(UInt8(ascii: " ")) }
            out += words[Int(random.next() % UInt64(words.count))].utf8
        }
        out.removeLast(out.count - characters)
        if out.last == UInt8(ascii: " ") { out[out.count - 1] = UInt8(ascii: ".") }
        return String(decoding: out, as: UTF8.self)
    }
}
