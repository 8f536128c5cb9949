extension Scenario {
    /// The scenario in its own file format with every default written out, as a JSON object that
    /// `ScenarioLoader.parse` reads back to an equal scenario. Results store it as "the scenario as run".
    ///
    /// It names the API key's environment variable only, never the key.
    public var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = [
            .init("version", .int(version)),
            .init("name", .string(name)),
        ]
        if !description.isEmpty { members.append(.init("description", .string(description))) }
        switch target {
        case .mock:
            members.append(.init("target", .string("mock")))
        case .remote(let remote):
            var fields: [JSONValue.Member] = [.init("base_url", .string(remote.baseURL))]
            if let env = remote.apiKeyEnv { fields.append(.init("api_key_env", .string(env))) }
            if !remote.headers.isEmpty {
                fields.append(.init("headers", .object(remote.headers.map { .init($0.name, .string($0.value)) })))
            }
            members.append(.init("target", .object(fields)))
        }
        members += [
            .init("endpoint", .string(endpoint.rawValue)),
            .init("model", .string(model)),
            .init("request", request),
        ]
        // With sessions the conversations make the messages, and prompts is refused.
        if sessions == nil { members.append(.init("prompts", prompts.canonicalJSON)) }
        members += [
            .init("batch_size", .int(batchSize)),
            .init("stream", .bool(stream)),
            .init("load", load.canonicalJSON),
            .init("timeouts", .object([
                .init("connect", .duration(timeouts.connect)), .init("request", .duration(timeouts.request)),
            ])),
            .init("http", .object([.init("version", .string(http.version.rawValue))]
                + (http.followRedirects > 0 ? [.init("follow_redirects", .int(http.followRedirects))] : [])
                + (http.loop != .epoll ? [.init("loop", .string(http.loop.rawValue))] : []))),
        ]
        if target.isMock { members.append(.init("mock", mock.canonicalJSON)) }
        if retry != .none { members.append(.init("retry", retry.canonicalJSON)) }
        if budget != BudgetSettings() {
            var fields: [JSONValue.Member] = []
            if let maxUSD = budget.maxUSD { fields.append(.init("max_usd", .double(maxUSD))) }
            fields.append(.init("prompts_to_process", .int(budget.promptsToProcess)))
            members.append(.init("budget", .object(fields)))
        }
        if let throttle {
            var fields: [JSONValue.Member] = []
            if let rpm = throttle.requestsPerMinute { fields.append(.init("rpm", .double(rpm))) }
            if let tpm = throttle.tokensPerMinute { fields.append(.init("tpm", .double(tpm))) }
            fields.append(.init("burst", .duration(throttle.burst)))
            fields.append(.init("follow_server", .bool(throttle.followServer)))
            members.append(.init("throttle", .object(fields)))
        }
        if let sweep { members.append(.init("sweep", sweep.canonicalJSON)) }
        if !alerts.isEmpty { members.append(.init("alerts", .array(alerts.map(\.canonicalJSON)))) }
        if !thresholds.isEmpty { members.append(.init("thresholds", .array(thresholds.map(\.canonicalJSON)))) }
        if failOnGeneratorBottleneck { members.append(.init("fail_on_generator_bottleneck", .bool(true))) }
        if let sessions { members.append(.init("sessions", sessions.canonicalJSON)) }
        return .object(members)
    }
}

extension PromptSource {
    var canonicalJSON: JSONValue {
        switch self {
        case .inline(let texts): return .object([.init("inline", .array(texts.map(JSONValue.string)))])
        case .file(let path): return .object([.init("file", .string(path))])
        case .jsonl(let path): return .object([.init("jsonl", .string(path))])
        case .synthetic(let settings):
            return .object([.init("synthetic", .object([
                .init("count", .int(settings.count)),
                .init("tokens", .object([
                    .init("mean", .double(settings.meanTokens)), .init("stddev", .double(settings.stddevTokens)),
                ])),
                .init("seed", .seed(settings.seed)),
            ]))])
        }
    }
}

extension LoadSettings {
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = []
        let mode = self.mode
        if users != nil, rate == nil {
            members.append(.init("users", .int(maxWorkers)))  // equal to users, unless a sweep point set the workers
        } else if mode == .closedLoop || mode == .rampingWorkers {
            members.append(.init("max_workers", .int(maxWorkers)))
        }
        if let duration { members.append(.init("duration", .duration(duration))) }
        if let requests { members.append(.init("requests", .int(requests))) }
        members.append(.init("warmup", .duration(warmup)))
        if let rate { members.append(.init("rate", .double(rate))) }
        switch arrival {
        case .constant: break
        case .poisson: members.append(.init("arrival", .string("poisson")))
        case .gamma(let burstiness):
            members.append(.init("arrival", .string("gamma")))
            members.append(.init("burstiness", .double(burstiness)))
        }
        if let maxInFlight { members.append(.init("max_in_flight", .int(maxInFlight))) }
        if let spin { members.append(.init("spin", .duration(spin))) }
        if let waves {
            members.append(.init("waves", .object([
                .init("wave_size", .int(waves.waveSize)), .init("pause", .duration(waves.pause)),
            ])))
        }
        if !stages.isEmpty {
            members.append(.init("stages", .array(stages.map { stage in
                switch stage.target {
                case .rate(let rate): return .object([.init("duration", .duration(stage.duration)), .init("rate", .double(rate))])
                case .workers(let workers):
                    return .object([.init("duration", .duration(stage.duration)), .init("workers", .int(workers))])
                }
            })))
        }
        if let trace {
            members.append(.init("trace", .object([
                .init("file", .string(trace.file)), .init("format", .string(trace.format.rawValue)),
                .init("speed", .double(trace.speed)),
            ])))
        }
        return .object(members)
    }
}

extension RetryPolicy {
    var canonicalJSON: JSONValue {
        .object([
            .init("max_attempts", .int(maxAttempts)),
            .init("base", .duration(base)),
            .init("cap", .duration(cap)),
            .init("honor_retry_after", .bool(honorRetryAfter)),
            .init("honor_ratelimit_reset", .bool(honorRateLimitReset)),
            .init("max_server_delay", .duration(maxServerDelay)),
            .init("statuses", .array(statuses.sorted().map(JSONValue.int))),
            .init("retry_transport_errors", .bool(retryTransportErrors)),
        ])
    }
}

extension JSONValue {
    /// A duration as text that `TimeSpan.parse` reads back exactly (`20s`, or nanoseconds when needed).
    static func duration(_ span: TimeSpan) -> JSONValue {
        let text = span.description
        return .string(TimeSpan.parse(text) == span ? text : "\(span.nanoseconds)ns")
    }

    /// A seed as a JSON integer (seeds above `Int.max` cannot come from a scenario file).
    static func seed(_ value: UInt64) -> JSONValue {
        .int(Int(exactly: value) ?? Int.max)
    }
}
