import TierbenchCore

/// The sweep a command runs: the scenario's `sweep:` section with the command-line overrides applied, validated.
enum SweepSpecResolver {
    static func resolve(loaded: ScenarioFile, options: SweepOptions) throws(EngineError) -> SweepSpec {
        let scenario = loaded.scenario
        var spec = scenario.sweep ?? SweepSpec(
            maxWorkers: .list([scenario.load.maxWorkers]), batchSizes: [scenario.batchSize],
            models: [scenario.model])
        if let workers = options.maxWorkers { spec.maxWorkers = .list(workers) }
        if let sizes = options.batchSizes { spec.batchSizes = sizes }
        if let tiers = options.tiers { spec.tiers = tiers.map(SweepTier.mock) }
        if let repetitions = options.repetitions { spec.repetitions = repetitions }
        if let refine = options.refine { spec.refine = refine }
        if scenario.sweep == nil, options.maxWorkers == nil {
            throw EngineError.invalidScenario(
                "\(loaded.path): no sweep: section; add one (docs/sweep.md) or pass --workers 1,2,4,8")
        }
        if !scenario.target.isMock, spec.tiers.contains(where: { $0.isMock && $0.label != SweepTier.unlimitedLabel }) {
            throw EngineError.invalidScenario(
                "\(loaded.path): sweep.tier names mock presets, but the target is a real server; "
                    + "use target: mock, or tiers of the form { label, base_url, api_key_env }")
        }
        let problems = spec.validate()
        guard problems.isEmpty else {
            throw EngineError.invalidScenario(problems.map { "\(loaded.path): sweep.\($0)" }.joined(separator: "\n"))
        }
        return spec
    }
}
