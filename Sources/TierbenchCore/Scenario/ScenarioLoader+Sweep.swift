import Yams

extension ScenarioLoader {
    static let sweepKeys = [
        "max_workers", "batch_size", "rate", "tier", "model", "repetitions", "refine", "point_budget", "slo_p95",
        "error_threshold", "prompts_to_process", "goodput",
    ]

    /// Reads `sweep:` (docs/sweep.md) into a `SweepSpec`; axes left out take the scenario's own single value.
    /// - Parameter defaultTier: The tier when `tier:` is left out: the scenario's own target.
    static func readSweep(
        _ top: ScenarioMapping, load: LoadSettings?, batchSize: Int, model: String, endpoint: Endpoint,
        defaultTier: SweepTier, reader: ScenarioNodeReader
    ) -> SweepSpec? {
        guard let sweep = reader.section(top, "sweep", keys: sweepKeys) else { return nil }
        let before = reader.errors.count
        var spec = SweepSpec(
            maxWorkers: .list([load?.maxWorkers ?? 1]), batchSizes: [batchSize], tiers: [defaultTier], models: [model])
        if let node = sweep["max_workers"], let axis = readWorkerAxis(node, sweep.path("max_workers"), reader: reader) {
            spec.maxWorkers = axis
        }
        if let node = sweep["batch_size"] {
            spec.batchSizes = intList(node, sweep.path("batch_size"), max: ScenarioLimits.maxBatchSize, reader: reader)
            if !endpoint.acceptsPromptArrays, let size = spec.batchSizes.first(where: { $0 > 1 }) {
                reader.report(node, sweep.path("batch_size"), "batch size \(size) needs an endpoint that takes prompt "
                              + "arrays; \(endpoint.rawValue) takes one prompt per request",
                              hint: "sweep batch_size: [1] only, or use endpoint: completions or embeddings")
            }
        }
        if let node = sweep["rate"], let items = reader.sequence(node, sweep.path("rate"), expecting: "a list of rates in requests/s") {
            spec.rates = items.enumerated().compactMap { reader.number($1, sweep.path("rate") + "[\($0)]", min: ScenarioLimits.minRate, max: ScenarioLimits.maxRate) }
        }
        if let node = sweep["tier"], let items = reader.sequence(node, sweep.path("tier"), expecting: "a list of tiers such as [free, tier1]") {
            spec.tiers = items.enumerated().compactMap { readTier($1, sweep.path("tier") + "[\($0)]", reader: reader) }
        }
        if let node = sweep["model"], let items = reader.sequence(node, sweep.path("model"), expecting: "a list of model names") {
            spec.models = items.enumerated().compactMap { reader.string($1, sweep.path("model") + "[\($0)]") }
        }
        if let node = sweep["repetitions"], let value = reader.int(node, sweep.path("repetitions"), min: 1, max: 100) {
            spec.repetitions = value
        }
        if let node = sweep["refine"], let value = reader.bool(node, sweep.path("refine")) { spec.refine = value }
        if let node = sweep["point_budget"], let value = reader.int(node, sweep.path("point_budget"), min: 0, max: 1000) {
            spec.pointBudget = value
        }
        if let node = sweep["slo_p95"], let value = reader.duration(node, sweep.path("slo_p95"), positive: true) {
            spec.sloP95 = value
        }
        if let node = sweep["error_threshold"],
            let value = reader.number(node, sweep.path("error_threshold"), min: 0, max: 1)
        {
            spec.errorThreshold = value
        }
        if let node = sweep["prompts_to_process"],
            let value = reader.int(node, sweep.path("prompts_to_process"), min: 1, max: ScenarioLimits.maxRequests)
        {
            spec.promptsToProcess = value
        }
        if let node = sweep["goodput"],
            let value = reader.choice(node, sweep.path("goodput"), allowed: SweepSpec.GoodputUnit.allCases.map(\.rawValue)),
            let unit = SweepSpec.GoodputUnit(rawValue: value)
        {
            spec.goodput = unit
        }
        guard reader.errors.count == before else { return nil }
        for problem in spec.validate() {
            reader.report(sweep.mark, "sweep", problem)
        }
        return reader.errors.count == before ? spec : nil
    }

    /// `[1, 2, 4]`, `{ from: 1, to: 64, factor: 2 }` or `{ from: 1, to: 64, steps: 7 }`.
    private static func readWorkerAxis(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> WorkerAxis? {
        if case .sequence = node { return .list(intList(node, path, max: ScenarioLimits.maxWorkers, reader: reader)) }
        guard let range = reader.mapping(node, path, keys: ["from", "to", "factor", "steps"]) else { return nil }
        guard let fromNode = range["from"], let toNode = range["to"] else {
            reader.report(node, path, "a worker range needs from and to",
                          hint: "e.g. { from: 1, to: 64, factor: 2 } or a list [1, 2, 4]")
            return nil
        }
        guard let from = reader.int(fromNode, range.path("from"), min: 1, max: ScenarioLimits.maxWorkers),
            let to = reader.int(toNode, range.path("to"), min: 1, max: ScenarioLimits.maxWorkers)
        else { return nil }
        if let stepsNode = range["steps"] {
            guard let steps = reader.int(stepsNode, range.path("steps"), min: 2, max: 1000) else { return nil }
            return .geometricSteps(from: from, to: to, steps: steps)
        }
        let factor = range["factor"].flatMap { reader.number($0, range.path("factor"), max: 100, above: 1) } ?? 2
        return .geometric(from: from, to: to, factor: factor)
    }

    private static func intList(_ node: Node, _ path: String, max: Int, reader: ScenarioNodeReader) -> [Int] {
        guard let items = reader.sequence(node, path, expecting: "a list of whole numbers such as [1, 5, 10]") else {
            return []
        }
        return items.enumerated().compactMap { reader.int($1, path + "[\($0)]", min: 1, max: max) }
    }

    /// `tier1` (a mock preset), `{ label, preset, time_scale }` or `{ label, base_url, api_key_env }`.
    private static func readTier(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> SweepTier? {
        if case .scalar = node {
            return reader.string(node, path).map(SweepTier.mock)
        }
        guard let tier = reader.mapping(node, path, keys: ["label", "preset", "time_scale", "base_url", "api_key_env"]) else {
            return nil
        }
        guard let labelNode = tier["label"], let label = reader.string(labelNode, tier.path("label")) else {
            reader.missing(tier, "label", hint: "name the tier, e.g. label: tier2")
            return nil
        }
        let timeScale = tier["time_scale"].flatMap { reader.number($0, tier.path("time_scale"), min: 1, max: ScenarioLimits.maxTimeScale) }
        if let urlNode = tier["base_url"], let url = reader.string(urlNode, tier.path("base_url")) {
            if timeScale != nil {
                reader.report(urlNode, tier.path("time_scale"), "time_scale applies to mock tiers only",
                              hint: "remove time_scale from a tier with base_url")
            }
            let env = tier["api_key_env"].flatMap { reader.string($0, tier.path("api_key_env")) }
            return .remote(label: label, baseURL: url, apiKeyEnv: env)
        }
        let preset = tier["preset"].flatMap { reader.string($0, tier.path("preset")) }
        return SweepTier(
            label: label, target: .mock(preset: preset == SweepTier.unlimitedLabel ? nil : preset), timeScale: timeScale)
    }
}

extension SweepSpec {
    /// The `sweep:` section in the file's own shape, for `Scenario.canonicalJSON`.
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = []
        switch maxWorkers {
        case .list(let values):
            members.append(.init("max_workers", .array(values.map(JSONValue.int))))
        case .geometric(let from, let to, let factor):
            members.append(.init("max_workers", .object([
                .init("from", .int(from)), .init("to", .int(to)), .init("factor", .double(factor)),
            ])))
        case .geometricSteps(let from, let to, let steps):
            members.append(.init("max_workers", .object([
                .init("from", .int(from)), .init("to", .int(to)), .init("steps", .int(steps)),
            ])))
        }
        members.append(.init("batch_size", .array(batchSizes.map(JSONValue.int))))
        if !rates.isEmpty { members.append(.init("rate", .array(rates.map(JSONValue.double)))) }
        members.append(.init("tier", .array(tiers.map(\.canonicalJSON))))
        members.append(.init("model", .array(models.map(JSONValue.string))))
        members.append(.init("repetitions", .int(repetitions)))
        members.append(.init("refine", .bool(refine)))
        members.append(.init("point_budget", .int(pointBudget)))
        if let sloP95 { members.append(.init("slo_p95", .duration(sloP95))) }
        members.append(.init("error_threshold", .double(errorThreshold)))
        members.append(.init("prompts_to_process", .int(promptsToProcess)))
        members.append(.init("goodput", .string(goodput.rawValue)))
        return .object(members)
    }
}

extension SweepTier {
    /// A preset name when the label is the preset's own, else `{ label, preset }` or `{ label, base_url, ... }`.
    var canonicalJSON: JSONValue {
        switch target {
        case .mock(let preset):
            let plain = preset == label || (preset == nil && label == SweepTier.unlimitedLabel)
            if plain, timeScale == nil { return .string(label) }
            var fields: [JSONValue.Member] = [
                .init("label", .string(label)), .init("preset", .string(preset ?? SweepTier.unlimitedLabel)),
            ]
            if let timeScale { fields.append(.init("time_scale", .double(timeScale))) }
            return .object(fields)
        case .remote(let baseURL, let apiKeyEnv):
            var fields: [JSONValue.Member] = [.init("label", .string(label)), .init("base_url", .string(baseURL))]
            if let apiKeyEnv { fields.append(.init("api_key_env", .string(apiKeyEnv))) }
            return .object(fields)
        }
    }
}
