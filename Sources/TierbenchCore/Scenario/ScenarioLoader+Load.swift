import Yams

extension ScenarioLoader {
    static let loadKeys = [
        "max_workers", "duration", "requests", "warmup", "rate", "arrival", "burstiness", "max_in_flight", "waves",
        "stages", "trace", "spin", "users",
    ]

    /// Reads `load:`: the load model, its stop conditions and warmup, with every conflict reported.
    static func readLoad(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> LoadSettings? {
        guard top.has("load") else {
            reader.missing(top, "load", hint: "add load: { max_workers: 10, duration: 20s }")
            return nil
        }
        guard let load = reader.section(top, "load", keys: loadKeys) else { return nil }
        let before = reader.errors.count
        var settings = LoadSettings()
        if let node = load["max_workers"], let value = reader.int(node, "load.max_workers", min: 1, max: ScenarioLimits.maxWorkers) {
            settings.maxWorkers = value
        }
        if let node = load["users"], let value = reader.int(node, "load.users", min: 1, max: ScenarioLimits.maxWorkers) {
            settings.users = value
            settings.maxWorkers = value
        }
        settings.duration = load["duration"].flatMap { reader.duration($0, "load.duration", positive: true) }
        settings.requests = load["requests"].flatMap { reader.int($0, "load.requests", min: 1, max: ScenarioLimits.maxRequests) }
        if let node = load["warmup"], let warmup = reader.duration(node, "load.warmup", positive: false) {
            if let duration = settings.duration, warmup >= duration {
                let source = reader.commandLine["load.duration"].map { " (set by \($0))" } ?? ""
                reader.report(node, "load.warmup", "warmup \(warmup) is not shorter than duration \(duration)\(source)",
                              hint: "make warmup shorter than duration; warmup time counts inside the duration")
            }
            settings.warmup = warmup
        }
        settings.rate = load["rate"].flatMap { reader.number($0, "load.rate", min: ScenarioLimits.minRate, max: ScenarioLimits.maxRate) }
        settings.maxInFlight = load["max_in_flight"].flatMap { reader.int($0, "load.max_in_flight", min: 1, max: 1_000_000) }
        settings.arrival = readArrival(load, reader: reader) ?? .constant
        if let entry = load.entry("waves") { settings.waves = readWaves(entry, reader: reader) }
        if let node = load["stages"] { settings.stages = readStages(node, reader: reader) }
        if let entry = load.entry("trace") { settings.trace = readTrace(entry, reader: reader) }
        if let node = load["spin"], let spin = reader.duration(node, "load.spin", positive: false) {
            if spin > .seconds(1) {
                reader.report(node, "load.spin", "spin \(spin) is longer than 1 s",
                              hint: "use a few milliseconds, e.g. spin: 2ms, or spin: 0s to always sleep")
            }
            settings.spin = spin
        }
        checkLoadModel(load, settings, reader: reader)
        if !load.has("duration") && !load.has("requests") && !load.has("stages") && !load.has("trace") {
            reader.report(load.mark, "load", "no stop condition",
                          hint: "add duration: 20s and/or requests: 1000 (the run stops at whichever comes first)")
        }
        return reader.errors.count == before ? settings : nil
    }

    /// `arrival` and `burstiness` into an arrival process.
    private static func readArrival(_ load: ScenarioMapping, reader: ScenarioNodeReader) -> ArrivalProcess? {
        var kind = "constant"
        if let node = load["arrival"] {
            guard let value = reader.choice(node, "load.arrival", allowed: ["constant", "poisson", "gamma"]) else {
                return nil
            }
            kind = value
        }
        let burstiness = load["burstiness"].flatMap { reader.number($0, "load.burstiness", min: 0.001, max: 1000) }
        if let entry = load.entry("burstiness"), kind != "gamma" {
            reader.report(entry.keyNode, "load.burstiness", "burstiness applies to arrival: gamma only",
                          hint: "add arrival: gamma, or remove burstiness")
            return nil
        }
        switch kind {
        case "poisson": return .poisson
        case "gamma": return .gamma(burstiness: burstiness ?? 1)
        default: return .constant
        }
    }

    private static func readWaves(_ entry: ScenarioMapping.Entry, reader: ScenarioNodeReader) -> WaveSettings? {
        guard let waves = reader.mapping(entry.value, "load.waves", keys: ["wave_size", "pause"], at: entry.keyNode.mark)
        else { return nil }
        guard let sizeNode = waves["wave_size"] else {
            reader.missing(waves, "wave_size", hint: "add wave_size: 10")
            return nil
        }
        guard let size = reader.int(sizeNode, waves.path("wave_size"), min: 1, max: ScenarioLimits.maxWorkers) else { return nil }
        var settings = WaveSettings(waveSize: size)
        if let node = waves["pause"] {
            guard let pause = reader.duration(node, waves.path("pause"), positive: false) else { return nil }
            settings.pause = pause
        }
        return settings
    }

    private static func readStages(_ node: Node, reader: ScenarioNodeReader) -> [LoadStage] {
        guard let items = reader.sequence(node, "load.stages", expecting: "a list of { duration, rate } or { duration, workers }")
        else { return [] }
        if items.isEmpty {
            reader.report(node, "load.stages", "the list is empty", hint: "give at least one stage, or remove stages")
        }
        if items.count > ScenarioLimits.maxStages {
            reader.report(node, "load.stages", "\(items.count) stages; tierbench takes at most \(ScenarioLimits.maxStages)",
                          hint: "merge stages, or split the run")
            return []
        }
        var stages: [LoadStage] = []
        for (index, item) in items.enumerated() {
            let path = "load.stages[\(index)]"
            guard let stage = reader.mapping(item, path, keys: ["duration", "rate", "workers"]) else { continue }
            guard let durationNode = stage["duration"] else {
                reader.missing(stage, "duration", hint: "add duration: 30s")
                continue
            }
            let duration = reader.duration(durationNode, stage.path("duration"), positive: true)
            var target: LoadStage.Target?
            switch (stage["rate"], stage["workers"]) {
            case (let rate?, nil):
                target = reader.number(rate, stage.path("rate"), min: 0, max: ScenarioLimits.maxRate).flatMap { value in
                    guard value == 0 || value >= ScenarioLimits.minRate else {
                        reader.report(rate, stage.path("rate"), "a rate must be 0 or at least \(ScenarioLimits.minRate)/s, got \(value)")
                        return nil
                    }
                    return .rate(value)
                }
            case (nil, let workers?):
                target = reader.int(workers, stage.path("workers"), min: 1, max: ScenarioLimits.maxWorkers).map { .workers($0) }
            case (.some, .some):
                reader.report(stage.mark, path, "a stage ramps either rate or workers, not both", hint: "keep one")
            case (nil, nil):
                reader.report(stage.mark, path, "a stage needs rate (requests/s) or workers", hint: "add rate: 100")
            }
            guard let duration, let target else { continue }
            if let first = stages.first, first.target.isRate != target.isRate {
                reader.report(item, path, "all stages must ramp the same thing (rate or workers)",
                              hint: first.target.isRate ? "use rate: here" : "use workers: here")
                continue
            }
            stages.append(LoadStage(duration: duration, target: target))
        }
        return stages
    }

    private static func readTrace(_ entry: ScenarioMapping.Entry, reader: ScenarioNodeReader) -> TraceSettings? {
        guard let trace = reader.mapping(entry.value, "load.trace", keys: ["file", "format", "speed"], at: entry.keyNode.mark)
        else { return nil }
        guard let fileNode = trace["file"] else {
            reader.missing(trace, "file", hint: "add file: trace.jsonl")
            return nil
        }
        guard let file = reader.string(fileNode, trace.path("file")) else { return nil }
        var format: TraceSettings.Format = file.lowercased().hasSuffix(".csv") ? .csv : .jsonl
        if let node = trace["format"] {
            guard let text = reader.choice(node, trace.path("format"), allowed: TraceSettings.Format.allCases.map(\.rawValue)),
                let parsed = TraceSettings.Format(rawValue: text)
            else { return nil }
            format = parsed
        }
        var settings = TraceSettings(file: file, format: format)
        if let node = trace["speed"] {
            guard let speed = reader.number(node, trace.path("speed"), min: 0.001, max: 1_000_000) else { return nil }
            settings.speed = speed
        }
        return settings
    }

    /// Reports keys that belong to a different load model than the one chosen.
    private static func checkLoadModel(_ load: ScenarioMapping, _ settings: LoadSettings, reader: ScenarioNodeReader) {
        func conflict(_ key: String, _ message: String, _ hint: String) {
            guard let entry = load.entry(key) else { return }
            reader.report(entry.keyNode, load.path(key), message, hint: hint)
        }
        let rateStages = settings.stages.first?.target.isRate ?? false
        let workerStages = !settings.stages.isEmpty && !rateStages
        let openLoop = load.has("rate") || rateStages || load.has("trace")
        if load.has("trace") {
            for key in ["rate", "waves", "stages", "max_workers", "arrival", "users"] {
                conflict(key, "\(key) does not apply when replaying a trace", "remove \(key); the trace sets the send times")
            }
            return
        }
        if load.has("waves") {
            for key in ["rate", "stages", "max_workers", "max_in_flight", "arrival", "users"] {
                conflict(key, "\(key) does not apply to waves", "remove \(key), or remove waves")
            }
            return
        }
        if openLoop {
            conflict("users", "users is the closed loop of sessions; with rate each arrival starts a session",
                     "remove users, or remove rate")
            conflict("max_workers", "max_workers is for the closed loop; with rate the sends do not wait for responses",
                     "remove max_workers; cap outstanding requests with max_in_flight")
        } else {
            for key in ["max_in_flight", "arrival"] {
                conflict(key, "\(key) applies to the open loop only", "add rate: (requests/s), or remove \(key)")
            }
        }
        if workerStages {
            conflict("rate", "rate cannot combine with stages of workers", "ramp rate: in every stage, or remove rate")
        }
    }
}
