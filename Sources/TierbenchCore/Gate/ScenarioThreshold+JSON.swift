extension ScenarioThreshold {
    /// The thresholds of a scenario as a result file stores it (the `scenario` block of summary.json, whose
    /// `thresholds` entries are `{ "expr": …, "abort_on_fail": … }`), so saved results can be judged again.
    /// Entries that do not parse are skipped (the loader refused them when the run started).
    public static func list(fromScenarioJSON scenario: JSONValue?) -> [ScenarioThreshold] {
        guard case .array(let items)? = scenario?["thresholds"] else { return [] }
        return items.compactMap { item -> ScenarioThreshold? in
            let text: String
            switch item {
            case .string(let value): text = value
            case .object:
                guard case .string(let value)? = item["expr"] else { return nil }
                text = value
            default: return nil
            }
            guard let threshold = try? Threshold.parse(text) else { return nil }
            return ScenarioThreshold(threshold, abortOnFail: item["abort_on_fail"] == .bool(true))
        }
    }

    /// Whether a stored scenario asks to fail when the generator was the bottleneck.
    public static func failsOnGeneratorBottleneck(scenarioJSON scenario: JSONValue?) -> Bool {
        scenario?["fail_on_generator_bottleneck"] == .bool(true)
    }
}
