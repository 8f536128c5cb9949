import Yams

extension ScenarioLoader {
    static let mockKeys = [
        "seed", "latency", "models", "capacity", "tier", "tier_set", "limits", "time_scale", "initial_fill", "api_keys", "strict",
        "correct_to_actual_usage", "spend_budget_usd", "embedding_dimensions", "max_body_bytes", "faults",
        "output_tokens", "extra_models", "organization", "tiers_file", "scale_retry_after", "hang_limit",
        "keep_alive_requests", "max_header_bytes", "max_connections", "idle_timeout", "header_timeout", "body_timeout",
        "batch", "prefix_cache", "cpu_burn_per_event",
    ]
    static let tierSets = ["openai", "seed002"]

    /// Reads `mock:` into `MockSettings`; nil when anything in it is wrong (all problems are reported).
    static func readMock(_ entry: ScenarioMapping.Entry, reader: ScenarioNodeReader) -> MockSettings? {
        guard let mock = reader.mapping(entry.value, "mock", keys: mockKeys, at: entry.keyNode.mark) else { return nil }
        let before = reader.errors.count
        var settings = MockSettings()
        if let node = mock["seed"], let seed = reader.int(node, "mock.seed", min: 0, max: Int.max) { settings.seed = UInt64(seed) }
        if let node = mock["latency"], let latency = readLatencyModel(node, "mock.latency", reader: reader) {
            settings.latency = latency
        }
        if let node = mock["models"],
            let entries = reader.freeMapping(node, "mock.models", expecting: "a mapping of model names to latency models")
        {
            for model in entries {
                if let latency = readLatencyModel(model.value, "mock.models." + model.key, reader: reader) {
                    settings.modelLatency[model.key] = latency
                }
            }
        }
        if let node = mock["capacity"] { settings.capacity = reader.int(node, "mock.capacity", min: 1, max: ScenarioLimits.maxWorkers) }
        if let node = mock["tier"] { settings.tier = reader.string(node, "mock.tier") }
        if let node = mock["tier_set"], let set = reader.choice(node, "mock.tier_set", allowed: tierSets) {
            settings.tierSet = set
        }
        if let limits = reader.section(mock, "limits", keys: ["rpm", "tpm", "rpd", "tpd"]) {
            settings.limits.rpm = limits["rpm"].flatMap { reader.int($0, limits.path("rpm"), min: 1, max: ScenarioLimits.maxRateLimit) }
            settings.limits.tpm = limits["tpm"].flatMap { reader.int($0, limits.path("tpm"), min: 1, max: ScenarioLimits.maxRateLimit) }
            settings.limits.rpd = limits["rpd"].flatMap { reader.int($0, limits.path("rpd"), min: 1, max: ScenarioLimits.maxRateLimit) }
            settings.limits.tpd = limits["tpd"].flatMap { reader.int($0, limits.path("tpd"), min: 1, max: ScenarioLimits.maxRateLimit) }
        }
        if let node = mock["time_scale"], let scale = reader.number(node, "mock.time_scale", min: 1, max: ScenarioLimits.maxTimeScale) {
            settings.timeScale = scale
        }
        if let node = mock["initial_fill"], let fill = reader.number(node, "mock.initial_fill", min: 0, max: 1) {
            settings.initialFill = fill
        }
        if let node = mock["api_keys"], let items = reader.sequence(node, "mock.api_keys", expecting: "a list of keys") {
            settings.apiKeys = items.enumerated().compactMap { reader.string($1, "mock.api_keys[\($0)]") }
        }
        if let node = mock["strict"], let value = reader.bool(node, "mock.strict") { settings.strict = value }
        if let node = mock["correct_to_actual_usage"], let value = reader.bool(node, "mock.correct_to_actual_usage") {
            settings.correctToActualUsage = value
        }
        if let node = mock["spend_budget_usd"] {
            settings.spendBudgetUSD = reader.number(node, "mock.spend_budget_usd", max: ScenarioLimits.maxUSD, above: 0)
        }
        if let node = mock["embedding_dimensions"] {
            settings.embeddingDimensions = reader.int(node, "mock.embedding_dimensions", min: 1, max: 65_536)
        }
        if let node = mock["max_body_bytes"], let value = reader.int(node, "mock.max_body_bytes", min: 1, max: 1 << 30) {
            settings.maxBodyBytes = value
        }
        if let node = mock["output_tokens"] { settings.outputTokens = reader.int(node, "mock.output_tokens", min: 1, max: 131_072) }
        if let node = mock["extra_models"],
            let items = reader.sequence(node, "mock.extra_models", expecting: "a list of model names")
        {
            settings.extraModels = items.enumerated().compactMap { reader.string($1, "mock.extra_models[\($0)]") }
        }
        if let node = mock["organization"], let value = reader.string(node, "mock.organization") {
            settings.organization = value
        }
        if let node = mock["tiers_file"], let path = reader.string(node, "mock.tiers_file") {
            settings.tiersFile = path
        }
        if let node = mock["scale_retry_after"], let value = reader.bool(node, "mock.scale_retry_after") {
            settings.scaleRetryAfter = value
        }
        if let node = mock["hang_limit"], let value = reader.duration(node, "mock.hang_limit", positive: true) {
            settings.hangLimit = value
        }
        if let node = mock["cpu_burn_per_event"], let value = reader.duration(node, "mock.cpu_burn_per_event", positive: false) {
            settings.cpuBurnPerEvent = value  // range checked by `problems()` below
        }
        if let faults = reader.section(mock, "faults", keys: faultKeys) {
            settings.faults = readFaults(faults, reader: reader)
        }
        readConnectionLimits(mock, into: &settings, reader: reader)
        readMockBatch(mock, into: &settings, reader: reader)
        if let cache = reader.section(mock, "prefix_cache", keys: ["block_tokens", "min_tokens", "capacity_tokens"]) {
            settings.prefixCache = readPrefixCache(cache, reader: reader)
        }
        guard reader.errors.count == before else { return nil }
        // Ranges are checked in one place (`MockSettings.problems()`), reported at the key's line.
        for problem in settings.problems() {
            reader.report(mark(of: problem.key, in: mock), "mock." + problem.key, problem.message)
        }
        return reader.errors.count == before ? settings : nil
    }

    /// Where a problem with the dotted `keyPath` inside `mock` is reported: the deepest node of the path found (a
    /// nested key such as `prefix_cache.min_tokens` at its own line, not its section's), else the section.
    static func mark(of keyPath: String, in mock: ScenarioMapping) -> Mark? {
        let parts = keyPath.split(separator: ".").map(String.init)
        guard let first = parts.first, var node = mock[first] else { return mock.mark }
        for part in parts.dropFirst() {
            guard case .mapping(let mapping) = node,
                let value = mapping.first(where: { $0.key.string == part })?.value
            else { break }
            node = value
        }
        return node.mark
    }

    /// The mock's connection limits and timeouts (docs/mock.md, "Safety"); ranges are checked by `problems()`.
    private static func readConnectionLimits(_ mock: ScenarioMapping, into settings: inout MockSettings, reader: ScenarioNodeReader) {
        let ints: [(String, WritableKeyPath<MockSettings, Int>)] = [
            ("keep_alive_requests", \.keepAliveRequests), ("max_header_bytes", \.maxHeaderBytes),
            ("max_connections", \.maxConnections),
        ]
        for (key, field) in ints {
            // Any integer here; its range is checked with every other mock setting by `problems()` below.
            if let node = mock[key], let value = reader.int(node, "mock." + key, min: Int.min, max: Int.max) {
                settings[keyPath: field] = value
            }
        }
        let spans: [(String, WritableKeyPath<MockSettings, TimeSpan>)] = [
            ("idle_timeout", \.idleTimeout), ("header_timeout", \.headerTimeout), ("body_timeout", \.bodyTimeout),
        ]
        for (key, field) in spans {
            if let node = mock[key], let value = reader.duration(node, "mock." + key, positive: true) {
                settings[keyPath: field] = value
            }
        }
    }

    /// `mock.prefix_cache:` (`{}` takes every default); ranges are checked by `problems()`.
    private static func readPrefixCache(_ cache: ScenarioMapping, reader: ScenarioNodeReader) -> MockPrefixCacheSettings {
        var settings = MockPrefixCacheSettings()
        let fields: [(String, WritableKeyPath<MockPrefixCacheSettings, Int>)] = [
            ("block_tokens", \.blockTokens), ("min_tokens", \.minTokens), ("capacity_tokens", \.capacityTokens),
        ]
        for (key, field) in fields {
            if let node = cache[key], let value = reader.int(node, cache.path(key), min: Int.min, max: Int.max) {
                settings[keyPath: field] = value
            }
        }
        return settings
    }

    /// A latency model: a duration (constant base latency) or `{ base, per_token, ttft, itl, prefill_per_token }`.
    static func readLatencyModel(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> MockLatencyModel? {
        var model = MockLatencyModel()
        if case .scalar = node {
            guard let base = reader.duration(node, path, positive: false) else { return nil }
            model.base = .constant(base)
            return model
        }
        guard let section = reader.mapping(node, path, keys: ["base", "per_token", "ttft", "itl", "prefill_per_token"]) else { return nil }
        if let value = section["base"].flatMap({ readDistribution($0, section.path("base"), reader: reader) }) {
            model.base = value
        }
        if let value = section["per_token"].flatMap({ readDistribution($0, section.path("per_token"), reader: reader) }) {
            model.perOutputToken = value
        }
        if let value = section["ttft"].flatMap({ readDistribution($0, section.path("ttft"), reader: reader) }) {
            model.ttft = value
        }
        if let value = section["itl"].flatMap({ readDistribution($0, section.path("itl"), reader: reader) }) {
            model.itl = value
        }
        if let value = section["prefill_per_token"].flatMap({
            readDistribution($0, section.path("prefill_per_token"), reader: reader)
        }) {
            model.prefillPerToken = value
        }
        return model
    }

    /// A duration (constant) or `{ dist: constant | normal | lognormal, mean, stddev }`.
    static func readDistribution(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> LatencyDistribution? {
        if case .scalar = node {
            return reader.duration(node, path, positive: false).map { .constant($0) }
        }
        guard let section = reader.mapping(node, path, keys: ["dist", "mean", "stddev"]) else { return nil }
        var kind = LatencyDistribution.Kind.constant
        if let node = section["dist"],
            let text = reader.choice(node, section.path("dist"), allowed: LatencyDistribution.Kind.allCases.map(\.rawValue)),
            let parsed = LatencyDistribution.Kind(rawValue: text)
        {
            kind = parsed
        }
        guard let meanNode = section["mean"] else {
            reader.missing(section, "mean", hint: "add mean: 20ms")
            return nil
        }
        guard let mean = reader.duration(meanNode, section.path("mean"), positive: false) else { return nil }
        var stddev = TimeSpan.zero
        if let node = section["stddev"] {
            guard let value = reader.duration(node, section.path("stddev"), positive: false) else { return nil }
            if kind == .constant && value > .zero {
                reader.report(node, section.path("stddev"), "a constant distribution has no spread",
                              hint: "add dist: normal or dist: lognormal, or remove stddev")
                return nil
            }
            stddev = value
        }
        return LatencyDistribution(kind: kind, mean: mean, stddev: stddev)
    }
}
