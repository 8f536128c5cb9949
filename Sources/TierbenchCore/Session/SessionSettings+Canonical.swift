extension SessionSettings {
    /// `sessions:` with every default written out, as `ScenarioLoader` reads it back.
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = []
        switch source {
        case .synthetic:
            members.append(.init("source", .string("synthetic")))
            members.append(.init("user_tokens", userTokens.canonicalJSON(duration: false)))
        case .file(let path):
            members.append(.init("file", .string(path)))
        }
        members.append(.init("turns", turns.canonicalJSON(duration: false)))
        members.append(.init("think_time", thinkTime.canonicalJSON(duration: true)))
        members.append(.init("history", .string(history.rawValue)))
        members.append(.init("on_error", .string(onError.rawValue)))
        if let header { members.append(.init("header", .string(header))) }
        var slos: [JSONValue.Member] = []
        if let ttft = slo.ttft { slos.append(.init("ttft", .duration(ttft))) }
        if let latency = slo.latency { slos.append(.init("latency", .duration(latency))) }
        if !slos.isEmpty { members.append(.init("slo", .object(slos))) }
        members.append(.init("seed", .seed(seed)))
        return .object(members)
    }
}

extension SessionDistribution {
    func canonicalJSON(duration: Bool) -> JSONValue {
        func value(_ number: Double) -> JSONValue { duration ? .duration(.seconds(number)) : .double(number) }
        var members: [JSONValue.Member] = [
            .init("dist", .string(kind.rawValue)), .init("mean", value(mean)), .init("stddev", value(stddev)),
        ]
        if let max { members.append(.init("max", value(max))) }
        return .object(members)
    }
}
