/// The latency a request waits for, given its sampled parts: the prefill term makes TTFT (and a non-streamed
/// response's latency) shrink with the prompt tokens the prefix cache already holds (docs/mock.md, "Latency").
extension MockLatencyModel {
    /// Streaming time to first token: `ttft + prefillPerToken × (promptTokens − cachedTokens)`, in seconds.
    /// `sample` draws one value of a distribution in seconds; the prefill distribution is drawn whenever it is not a
    /// constant 0 (cached or not, so later draws do not depend on the cache), so models without a prefill term draw
    /// the same samples as before.
    public func firstTokenSeconds(
        promptTokens: Int, cachedTokens: Int, sample: (LatencyDistribution) -> Double
    ) -> Double {
        sample(ttft) + prefillSeconds(promptTokens: promptTokens, cachedTokens: cachedTokens, sample: sample)
    }

    /// Non-streaming latency: `base + perOutputToken × outputTokens + prefillPerToken × (promptTokens −
    /// cachedTokens)`, in seconds.
    public func responseSeconds(
        outputTokens: Int, promptTokens: Int, cachedTokens: Int, sample: (LatencyDistribution) -> Double
    ) -> Double {
        sample(base) + sample(perOutputToken) * Double(max(0, outputTokens))
            + prefillSeconds(promptTokens: promptTokens, cachedTokens: cachedTokens, sample: sample)
    }

    /// `prefillPerToken × (promptTokens − cachedTokens)`; 0 without uncached tokens or without a prefill term.
    /// With a prefill term its distribution is drawn on every call, even when every token is cached, so the seeded
    /// draws after it do not shift with the cache's state.
    public func prefillSeconds(promptTokens: Int, cachedTokens: Int, sample: (LatencyDistribution) -> Double) -> Double {
        guard prefillPerToken != .zero else { return 0 }
        let perToken = sample(prefillPerToken)
        let uncached = max(0, promptTokens - max(0, cachedTokens))
        return uncached > 0 ? perToken * Double(uncached) : 0
    }
}
