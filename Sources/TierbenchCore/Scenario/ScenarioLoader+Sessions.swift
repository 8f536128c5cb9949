import Yams

extension ScenarioLoader {
    static let sessionKeys = [
        "source", "file", "turns", "user_tokens", "think_time", "history", "on_error", "header", "slo", "seed",
    ]

    /// Reads `sessions:` (docs/sessions.md) and checks it against the rest of the scenario; nil without the section.
    static func readSessions(
        _ top: ScenarioMapping, load: LoadSettings?, endpoint: Endpoint, batchSize: Int, reader: ScenarioNodeReader
    ) -> SessionSettings? {
        guard let entry = top.entry("sessions") else {
            if let users = usersEntry(top) {
                reader.report(users.keyNode, "load.users", "users holds conversations, but the scenario has no sessions:",
                              hint: "add a sessions: section, or use max_workers for a closed loop of single requests")
            }
            return nil
        }
        guard let sessions = reader.mapping(entry.value, "sessions", keys: sessionKeys, at: entry.keyNode.mark) else {
            return nil
        }
        let before = reader.errors.count
        var settings = SessionSettings()
        if let node = sessions["source"], let value = reader.choice(node, "sessions.source", allowed: ["synthetic", "file"]) {
            if value == "file", !sessions.has("file") {
                reader.report(node, "sessions.source", "source: file needs the file", hint: "add file: conversations.jsonl")
            }
            if value == "synthetic", let file = sessions.entry("file") {
                reader.report(file.keyNode, "sessions.file", "file does not apply to source: synthetic",
                              hint: "remove source: synthetic, or remove file")
            }
        }
        if let node = sessions["file"], let path = reader.string(node, "sessions.file") { settings.source = .file(path) }
        if let entry = sessions.entry("turns") {
            settings.turns = readDistribution(entry, "sessions.turns", reader: reader, range: 1...Double(SessionSettings.maxTurns),
                                              base: settings.turns, isDuration: false) ?? settings.turns
        }
        if let entry = sessions.entry("user_tokens") {
            settings.userTokens = readDistribution(entry, "sessions.user_tokens", reader: reader, range: 1...Double(SessionSettings.maxUserTokens),
                                                   base: settings.userTokens, isDuration: false) ?? settings.userTokens
            if settings.source != .synthetic {
                reader.report(entry.keyNode, "sessions.user_tokens", "user_tokens applies to synthetic sessions only",
                              hint: "remove user_tokens; the file's messages are sent as they are")
            }
        }
        if let entry = sessions.entry("think_time") {
            settings.thinkTime = readDistribution(entry, "sessions.think_time", reader: reader, range: 0...86_400,
                                                  base: .init(kind: .lognormal, mean: 0), isDuration: true) ?? settings.thinkTime
        }
        if let node = sessions["history"],
            let value = reader.choice(node, "sessions.history", allowed: SessionSettings.History.allCases.map(\.rawValue)),
            let history = SessionSettings.History(rawValue: value)
        {
            if history == .recorded, settings.source == .synthetic {
                reader.report(node, "sessions.history", "history: recorded resends a file's transcript, but the sessions are synthetic",
                              hint: "add file: conversations.jsonl, or use history: live")
            }
            settings.history = history
        }
        if let node = sessions["on_error"],
            let value = reader.choice(node, "sessions.on_error", allowed: SessionSettings.ErrorPolicy.allCases.map(\.rawValue)),
            let policy = SessionSettings.ErrorPolicy(rawValue: value)
        {
            settings.onError = policy
        }
        if let node = sessions["header"], let name = reader.string(node, "sessions.header") {
            let token = name.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
            if token {
                settings.header = name
            } else {
                reader.report(node, "sessions.header", "'\(name)' is not a valid HTTP header name", hint: "e.g. X-Session-ID")
            }
        }
        if let slo = reader.section(sessions, "slo", keys: ["ttft", "latency"]) {
            settings.slo.ttft = slo["ttft"].flatMap { reader.duration($0, slo.path("ttft"), positive: true) }
            settings.slo.latency = slo["latency"].flatMap { reader.duration($0, slo.path("latency"), positive: true) }
        }
        if let node = sessions["seed"], let seed = reader.int(node, "sessions.seed", min: 0, max: Int.max) {
            settings.seed = UInt64(seed)
        }
        checkSessionCombinations(top, entry: entry, load: load, endpoint: endpoint, batchSize: batchSize, reader: reader)
        return reader.errors.count == before ? settings : nil
    }

    /// Load models, endpoints and keys that cannot carry conversations.
    private static func checkSessionCombinations(
        _ top: ScenarioMapping, entry: ScenarioMapping.Entry, load: LoadSettings?, endpoint: Endpoint, batchSize: Int,
        reader: ScenarioNodeReader
    ) {
        if endpoint != .chat {
            reader.report(entry.keyNode, "sessions", "sessions send chat conversations; endpoint is \(endpoint.rawValue)",
                          hint: "set endpoint: chat, or remove sessions")
        }
        if batchSize > 1, let node = top.entry("batch_size")?.keyNode {
            reader.report(node, "batch_size", "each turn of a session is one request; batch_size \(batchSize) cannot apply",
                          hint: "remove batch_size")
        }
        if let prompts = top.entry("prompts") {
            reader.report(prompts.keyNode, "prompts", "prompts does not apply with sessions: the conversations make the messages",
                          hint: "remove prompts; set sessions.user_tokens or sessions.file")
        }
        if let throttle = top.entry("throttle") {
            reader.report(throttle.keyNode, "throttle", "the client throttle does not pace session turns yet",
                          hint: "remove throttle; pace sessions with think_time and users")
        }
        if case .mapping(let request)? = top["request"],
            let pair = request.first(where: { pair in
                if case .scalar(let scalar) = pair.key { return scalar.string == "n" }
                return false
            }),
            case .scalar(let value) = pair.value, let choices = Int(value.string), choices > 1
        {
            reader.report(pair.key, "request.n", "request.n \(choices) asks for \(choices) choices, but a session carries one reply into its history",
                          hint: "remove n from request (or set n: 1)")
        }
        guard let load, case .mapping(let mapping)? = top["load"] else { return }
        func keyNode(_ key: String) -> Node? {
            mapping.first { pair in
                if case .scalar(let scalar) = pair.key { return scalar.string == key }
                return false
            }?.key
        }
        for key in ["waves", "stages", "trace"] {
            if let node = keyNode(key) {
                reader.report(node, "load.\(key)", "load.\(key) does not apply with sessions",
                              hint: "use load.users (closed loop of users) or load.rate (session arrivals per second)")
            }
        }
        if let node = keyNode("max_workers") {
            reader.report(node, "load.max_workers", "with sessions the closed loop is a number of users",
                          hint: "write users: \(load.maxWorkers) instead of max_workers")
        }
    }

    private static func usersEntry(_ top: ScenarioMapping) -> (keyNode: Node, value: Node)? {
        guard case .mapping(let mapping)? = top["load"] else { return nil }
        for pair in mapping {
            if case .scalar(let scalar) = pair.key, scalar.string == "users" { return (pair.key, pair.value) }
        }
        return nil
    }

    /// `{ dist, mean, stddev, max }`; durations (with a unit) for think time, plain numbers otherwise.
    private static func readDistribution(
        _ entry: ScenarioMapping.Entry, _ path: String, reader: ScenarioNodeReader, range: ClosedRange<Double>,
        base: SessionDistribution, isDuration: Bool
    ) -> SessionDistribution? {
        guard let section = reader.mapping(entry.value, path, keys: ["dist", "mean", "stddev", "max"], at: entry.keyNode.mark)
        else { return nil }
        var value = base
        func read(_ key: String) -> Double? {
            guard let node = section[key] else { return nil }
            if isDuration {
                guard let span = reader.duration(node, section.path(key), positive: false) else { return nil }
                if span.seconds > range.upperBound {
                    reader.report(node, section.path(key), "\(span) is longer than \(Int(range.upperBound)) s",
                                  hint: "use at most 24h")
                    return nil
                }
                return span.seconds
            }
            return reader.number(node, section.path(key), min: key == "stddev" ? 0 : range.lowerBound, max: range.upperBound)
        }
        if let node = section["dist"],
            let text = reader.choice(node, section.path("dist"), allowed: SessionDistribution.Kind.allCases.map(\.rawValue)),
            let kind = SessionDistribution.Kind(rawValue: text)
        {
            value.kind = kind
        } else if !section.has("dist"), section.has("stddev") == false {
            value.kind = .constant
        }
        if let mean = read("mean") {
            value.mean = mean
        } else if !section.has("mean") {
            reader.missing(section, "mean", hint: isDuration ? "add mean: 5s" : "add mean: 4")
        }
        if let stddev = read("stddev") { value.stddev = stddev } else if !section.has("stddev") { value.stddev = 0 }
        if let max = read("max") {
            if max < value.mean, let node = section["max"] {
                reader.report(node, section.path("max"), "max is below mean", hint: "make max ≥ mean")
            }
            value.max = max
        } else if !section.has("max") {
            value.max = nil  // a written distribution has no cap but its own (turns: at most 1000)
        }
        if value.kind == .lognormal, value.mean <= 0, let node = section["mean"] {
            reader.report(node, section.path("mean"), "a lognormal needs mean > 0", hint: "use dist: constant for 0")
        }
        return value
    }
}
