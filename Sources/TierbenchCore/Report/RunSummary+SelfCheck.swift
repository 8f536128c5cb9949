extension RunSummary {
    /// Fills `self_check` from what the engine measured, and marks the generator as the bottleneck
    /// (`generator.limited_by_generator`) exactly when the self-check found a streamed run's chunks stamped late
    /// (``SelfCheckRules/chunkStampsLate(_:itlP50Ms:)``, docs/metrics.md "Self-check"): one story in both places.
    /// Late sends are already judged by the generator's own rule.
    public mutating func applySelfCheck(_ measurement: SelfCheckMeasurement) {
        let check = SelfCheckRules.evaluate(measurement, itlP50Ms: itlMs?.p50)
        selfCheck = check
        if check.problems.contains(where: { $0.hasPrefix(SelfCheckRules.chunkStampsProblemPrefix) }) {
            generator.limitedByGenerator = true
        }
    }
}
