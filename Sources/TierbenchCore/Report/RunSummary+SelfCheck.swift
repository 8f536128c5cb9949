extension RunSummary {
    /// Fills `self_check` from what the engine measured, and marks the generator as the bottleneck
    /// (`generator.limited_by_generator`) when the loop lag says chunks were stamped and sends made late
    /// (docs/metrics.md, "Self-check").
    public mutating func applySelfCheck(_ measurement: SelfCheckMeasurement) {
        let check = SelfCheckRules.evaluate(measurement, itlP50Ms: itlMs?.p50)
        selfCheck = check
        if SelfCheckRules.loopLagTooHigh(measurement.loopLag, itlP50Ms: itlMs?.p50) {
            generator.limitedByGenerator = true
        }
    }
}
