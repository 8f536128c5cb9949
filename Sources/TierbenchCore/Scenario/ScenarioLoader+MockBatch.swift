import Yams

extension ScenarioLoader {
    static let mockBatchKeys = [
        "time_scale", "validate_min", "validate_max", "validate_per_mb", "queue_delay", "stall_probability",
        "stall_duration", "lines_per_second", "tokens_per_second", "models", "finalize_min", "finalize_max",
        "cancel_min", "cancel_max", "creations_per_hour", "line_latency", "max_file_bytes",
    ]

    /// Reads `mock: { batch: { … } }` into `settings.batch` (docs/mock.md, "Files and Batches"). Ranges that depend
    /// on each other are checked by `MockSettings.problems()`.
    static func readMockBatch(_ mock: ScenarioMapping, into settings: inout MockSettings, reader: ScenarioNodeReader) {
        guard let batch = reader.section(mock, "batch", keys: mockBatchKeys) else { return }
        if let node = batch["time_scale"] {
            settings.batch.timeScale = reader.number(node, batch.path("time_scale"), min: 1, max: ScenarioLimits.maxTimeScale)
        }
        let spans: [(String, WritableKeyPath<MockBatchSettings, TimeSpan>)] = [
            ("validate_min", \.validateMin), ("validate_max", \.validateMax), ("validate_per_mb", \.validatePerMB),
            ("stall_duration", \.stallDuration), ("finalize_min", \.finalizeMin), ("finalize_max", \.finalizeMax),
            ("cancel_min", \.cancelMin), ("cancel_max", \.cancelMax),
        ]
        for (key, field) in spans {
            if let node = batch[key], let value = reader.duration(node, batch.path(key), positive: false) {
                settings.batch[keyPath: field] = value
            }
        }
        if let node = batch["queue_delay"] {
            if case .scalar = node {
                // A plain duration: a constant queue wait.
                if let value = reader.duration(node, batch.path("queue_delay"), positive: false) {
                    settings.batch.queueDelayMedian = value
                    settings.batch.queueDelaySigma = 0
                }
            } else if let delay = reader.mapping(node, batch.path("queue_delay"), keys: ["median", "sigma"]) {
                if let node = delay["median"], let value = reader.duration(node, delay.path("median"), positive: false) {
                    settings.batch.queueDelayMedian = value
                }
                if let node = delay["sigma"], let value = reader.number(node, delay.path("sigma"), min: 0, max: 5) {
                    settings.batch.queueDelaySigma = value
                }
            }
        }
        if let node = batch["stall_probability"],
            let value = reader.number(node, batch.path("stall_probability"), min: 0, max: 1)
        {
            settings.batch.stallProbability = value
        }
        if let node = batch["lines_per_second"],
            let value = reader.number(node, batch.path("lines_per_second"), max: 1e9, above: 0)
        {
            settings.batch.linesPerSecond = value
        }
        if let node = batch["tokens_per_second"] {
            settings.batch.tokensPerSecond = reader.number(node, batch.path("tokens_per_second"), max: 1e9, above: 0)
        }
        if let node = batch["models"],
            let entries = reader.freeMapping(node, batch.path("models"), expecting: "a mapping of model names to rates")
        {
            for entry in entries {
                let path = batch.path("models") + "." + entry.key
                guard let rate = reader.mapping(
                    entry.value, path, keys: ["lines_per_second", "tokens_per_second"], at: entry.keyNode.mark)
                else { continue }
                var value = MockBatchRate(linesPerSecond: settings.batch.linesPerSecond)
                if let node = rate["lines_per_second"],
                    let lines = reader.number(node, rate.path("lines_per_second"), max: 1e9, above: 0)
                {
                    value.linesPerSecond = lines
                }
                if let node = rate["tokens_per_second"] {
                    value.tokensPerSecond = reader.number(node, rate.path("tokens_per_second"), max: 1e9, above: 0)
                }
                settings.batch.modelRates[entry.key] = value
            }
        }
        if let node = batch["creations_per_hour"],
            let value = reader.int(node, batch.path("creations_per_hour"), min: 1, max: 1_000_000)
        {
            settings.batch.creationsPerHour = value
        }
        if let node = batch["max_file_bytes"],
            let value = reader.int(node, batch.path("max_file_bytes"), min: 1, max: 512 << 20)
        {
            settings.batch.maxFileBytes = value
        }
        if let node = batch["line_latency"], let value = reader.bool(node, batch.path("line_latency")) {
            settings.batch.lineLatency = value
        }
    }
}
