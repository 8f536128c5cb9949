import TierbenchCore
import TierbenchMock

/// The sweep a command runs: the scenario's `sweep:` section with the command-line overrides applied, validated.
enum SweepSpecResolver {
    static func resolve(loaded: ScenarioFile, options: SweepOptions) throws(EngineError) -> SweepSpec {
        let scenario = loaded.scenario
        var spec = scenario.sweep ?? SweepSpec(
            maxWorkers: .list([scenario.load.maxWorkers]), batchSizes: [scenario.batchSize],
            tiers: [SweepTier.scenarioDefault(target: scenario.target, mockTier: scenario.mock.tier)],
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
        var problems = spec.validate().map { "\(loaded.path): sweep.\($0)" }
        // Every axis is checked before the first point runs: a bad value found after other points ran wastes them.
        if !scenario.endpoint.acceptsPromptArrays, let size = spec.batchSizes.first(where: { $0 > 1 }) {
            problems.append(
                "\(loaded.path): sweep batch size \(size) needs an endpoint that takes prompt arrays; "
                    + "\(scenario.endpoint.rawValue) takes one prompt per request (use --batch-sizes 1, or endpoint: "
                    + "completions or embeddings)")
        }
        if spec.batchSizes.contains(where: { $0 > 1 }), loaded.prompts.contains(where: \.isBody) {
            problems.append(
                "\(loaded.path): sweep batch sizes above 1 need text prompts; the prompts are whole request bodies")
        }
        if scenario.http.version == .http2, spec.tiers.contains(where: \.isMock) {
            problems.append(
                "\(loaded.path): http.version \"2\" with a mock tier: the built-in mock speaks HTTP/1.1 only")
        }
        let largest = spec.maxWorkers.values.max() ?? 1
        do {
            try DescriptorLimit.check(connections: largest, inProcessMock: spec.tiers.contains(where: \.isMock))
        } catch {
            problems.append("\(loaded.path): sweep max_workers \(largest): \(error.description)")
        }
        for tier in spec.tiers {
            guard case .mock(let preset) = tier.target else { continue }
            do {
                try MockTierCheck.check(preset: preset, settings: scenario.mock)
            } catch {
                problems.append("\(loaded.path): sweep tier '\(tier.label)': \(error.description)")
            }
        }
        guard problems.isEmpty else {
            throw EngineError.invalidScenario(problems.joined(separator: "\n"))
        }
        return spec
    }

    /// Lines to print before the first point when tiers run somewhere other than the scenario's target (mock
    /// tiers for a scenario aimed at a URL, or the reverse), so the swap is never silent.
    static func targetNotes(spec: SweepSpec, scenario: Scenario) -> [String] {
        let scenarioTarget: String
        switch scenario.target {
        case .mock: scenarioTarget = "the built-in mock"
        case .remote(let remote): scenarioTarget = remote.displayURL
        }
        return spec.tiers.compactMap { tier in
            guard tier.isMock != scenario.target.isMock else { return nil }
            return "note: tier '\(tier.label)' runs against \(tier.targetDescription), not the scenario's target "
                + "(\(scenarioTarget)), as sweep.tier (or --tier) says"
        }
    }
}
