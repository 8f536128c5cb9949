import Yams

extension ScenarioLoader {
    static let retryKeys = [
        "max_attempts", "base", "cap", "honor_retry_after", "honor_ratelimit_reset", "max_server_delay", "statuses",
        "retry_transport_errors",
    ]

    /// Reads `retry:` into a `RetryPolicy`. Present without `max_attempts`, it means 3 attempts.
    static func readRetry(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> RetryPolicy {
        guard let retry = reader.section(top, "retry", keys: retryKeys) else { return .none }
        let before = reader.errors.count
        var policy = RetryPolicy(maxAttempts: 3)
        if let node = retry["max_attempts"], let value = reader.int(node, retry.path("max_attempts"), min: 1, max: 100) {
            policy.maxAttempts = value
        }
        if let node = retry["base"], let value = reader.duration(node, retry.path("base"), positive: true) {
            policy.base = value
        }
        if let node = retry["cap"], let value = reader.duration(node, retry.path("cap"), positive: true) {
            policy.cap = value
        }
        if policy.cap < policy.base, let node = retry["cap"] ?? retry["base"] {
            reader.report(node, retry.path(retry.has("cap") ? "cap" : "base"),
                          "cap \(policy.cap) is shorter than base \(policy.base)", hint: "make cap ≥ base")
        }
        if let node = retry["honor_retry_after"], let value = reader.bool(node, retry.path("honor_retry_after")) {
            policy.honorRetryAfter = value
        }
        if let node = retry["honor_ratelimit_reset"], let value = reader.bool(node, retry.path("honor_ratelimit_reset")) {
            policy.honorRateLimitReset = value
        }
        if let node = retry["max_server_delay"],
            let value = reader.duration(node, retry.path("max_server_delay"), positive: true)
        {
            policy.maxServerDelay = value
        }
        if let node = retry["statuses"],
            let items = reader.sequence(node, retry.path("statuses"), expecting: "a list of HTTP statuses such as [429, 503]")
        {
            var statuses = Set<Int>()
            for (index, item) in items.enumerated() {
                guard let status = reader.int(item, retry.path("statuses") + "[\(index)]", min: 400, max: 599) else { continue }
                if [400, 401, 403, 404].contains(status) {
                    reader.report(item, retry.path("statuses") + "[\(index)]", "\(status) is never worth retrying",
                                  hint: "the request itself is wrong; retry 408, 409, 429 or 5xx")
                    continue
                }
                statuses.insert(status)
            }
            policy.statuses = statuses
        }
        if let node = retry["retry_transport_errors"], let value = reader.bool(node, retry.path("retry_transport_errors")) {
            policy.retryTransportErrors = value
        }
        return reader.errors.count == before ? policy : .none
    }

    /// Reads `throttle:` (`rpm`, `tpm`, `follow_server`); at least one budget is required.
    static func readThrottle(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> ThrottleSettings? {
        guard let throttle = reader.section(top, "throttle", keys: ["rpm", "tpm", "burst", "follow_server"]) else { return nil }
        var settings = ThrottleSettings()
        settings.requestsPerMinute = throttle["rpm"].flatMap { reader.number($0, throttle.path("rpm"), min: 0.01, max: Double(ScenarioLimits.maxRateLimit)) }
        settings.tokensPerMinute = throttle["tpm"].flatMap { reader.number($0, throttle.path("tpm"), min: 1, max: Double(ScenarioLimits.maxRateLimit)) }
        if let node = throttle["burst"], let value = reader.duration(node, throttle.path("burst"), positive: false) {
            if value > .seconds(60) {
                reader.report(node, throttle.path("burst"), "burst \(value) is more than the budget's minute",
                              hint: "use 0s (pace from the first request) up to 60s (a whole minute's budget at once)")
            }
            settings.burst = value
        }
        if let node = throttle["follow_server"], let value = reader.bool(node, throttle.path("follow_server")) {
            settings.followServer = value
        }
        if !throttle.has("rpm") && !throttle.has("tpm") {
            reader.report(throttle.mark, "throttle", "no budget", hint: "add rpm: 500 and/or tpm: 200000")
            return nil
        }
        return settings
    }

    /// Reads `budget:` (`max_usd`, `prompts_to_process`).
    static func readBudget(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> BudgetSettings {
        var settings = BudgetSettings()
        guard let budget = reader.section(top, "budget", keys: ["max_usd", "prompts_to_process"]) else { return settings }
        settings.maxUSD = budget["max_usd"].flatMap { reader.number($0, budget.path("max_usd"), max: ScenarioLimits.maxUSD, above: 0) }
        if let node = budget["prompts_to_process"],
            let value = reader.int(node, budget.path("prompts_to_process"), min: 1, max: ScenarioLimits.maxRequests)
        {
            settings.promptsToProcess = value
        }
        return settings
    }
}
