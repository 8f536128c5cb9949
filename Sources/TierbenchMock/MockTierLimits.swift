import TierbenchCore

/// The limits a mock tier applies to a model, read from the same tier data the mock's rate limiter uses (the
/// tiers file, then the settings' explicit overrides), for projections made outside the mock: the sweep's
/// "what N prompts take at this tier" and `tierbench decide`.
public enum MockTierLimits {
    /// - Parameters:
    ///   - preset: the tier (`tier1` …); nil = `settings.tier`.
    ///   - model: the model whose table applies (its alias's, else the set's fallback model's).
    /// - Throws: when the tiers file cannot be read or names no such set or tier.
    public static func limits(
        preset: String? = nil, model: String, settings: MockSettings
    ) throws(MockConfigurationError) -> TierLimits {
        var candidate = settings
        if let preset { candidate.tier = preset }
        let catalog = try TierCatalog.load(path: settings.tiersFile)
        try catalog.validate(candidate)
        let limits = catalog.limits(for: model, settings: candidate)
        return TierLimits(
            requestsPerMinute: limits.rpm, requestsPerDay: limits.rpd, tokensPerMinute: limits.tpm,
            tokensPerDay: limits.tpd, batchQueueTokens: limits.batchQueue)
    }
}
