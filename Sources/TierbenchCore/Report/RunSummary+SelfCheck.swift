extension RunSummary {
    /// Fills `self_check` from what the engine measured, and marks the generator as the bottleneck
    /// (`generator.limited_by_generator`) when the ready-set part of the loop lag says chunks were stamped late
    /// (docs/metrics.md, "Self-check"). Late sends are already judged by the generator's own rule.
    public mutating func applySelfCheck(_ measurement: SelfCheckMeasurement) {
        let check = SelfCheckRules.evaluate(measurement, itlP50Ms: itlMs?.p50)
        selfCheck = check
        if SelfCheckRules.loopLagTooHigh(measurement.readLag, itlP50Ms: itlMs?.p50) {
            generator.limitedByGenerator = true
        }
    }
}
