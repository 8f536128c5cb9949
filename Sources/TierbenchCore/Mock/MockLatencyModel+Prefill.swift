/// The latency a request waits for, given its sampled parts: the prefill term makes TTFT (and a non-streamed
/// response's latency) shrink with the prompt tokens the prefix cache already holds (docs/mock.md, "Latency").
extension MockLatencyModel {
    /// Streaming time to first token: `ttft + prefillPerToken × (promptTokens − cachedTokens)`, in seconds.
    /// `sample` draws one value of a distribution in seconds; the prefill distribution is drawn only when there are
    /// uncached tokens and it is not a constant 0, so models without a prefill term draw the same samples as before.
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
    public func prefillSeconds(promptTokens: Int, cachedTokens: Int, sample: (LatencyDistribution) -> Double) -> Double {
        let uncached = max(0, promptTokens - max(0, cachedTokens))
        guard uncached > 0, prefillPerToken != .zero else { return 0 }
        return sample(prefillPerToken) * Double(uncached)
    }
}
