extension MockSettings {
    /// The `mock:` section in scenario-file form (snake_case keys, durations with units), every field written.
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = [
            .init("seed", .seed(seed)),
            .init("latency", latency.canonicalJSON),
        ]
        if !modelLatency.isEmpty {
            let models = modelLatency.keys.sorted().compactMap { name in
                modelLatency[name].map { JSONValue.Member(name, $0.canonicalJSON) }
            }
            members.append(.init("models", .object(models)))
        }
        if let capacity { members.append(.init("capacity", .int(capacity))) }
        if let tier { members.append(.init("tier", .string(tier))) }
        members.append(.init("tier_set", .string(tierSet)))
        let limitFields: [(String, Int?)] = [("rpm", limits.rpm), ("tpm", limits.tpm), ("rpd", limits.rpd), ("tpd", limits.tpd)]
        let setLimits = limitFields.compactMap { key, value in value.map { JSONValue.Member(key, .int($0)) } }
        if !setLimits.isEmpty { members.append(.init("limits", .object(setLimits))) }
        members += [
            .init("time_scale", .double(timeScale)),
            .init("initial_fill", .double(initialFill)),
            .init("api_keys", .array(apiKeys.map(JSONValue.string))),
            .init("strict", .bool(strict)),
            .init("correct_to_actual_usage", .bool(correctToActualUsage)),
        ]
        if let spendBudgetUSD { members.append(.init("spend_budget_usd", .double(spendBudgetUSD))) }
        if let embeddingDimensions { members.append(.init("embedding_dimensions", .int(embeddingDimensions))) }
        members.append(.init("max_body_bytes", .int(maxBodyBytes)))
        if let outputTokens { members.append(.init("output_tokens", .int(outputTokens))) }
        members += [
            .init("extra_models", .array(extraModels.map(JSONValue.string))),
            .init("organization", .string(organization)),
        ]
        if let tiersFile { members.append(.init("tiers_file", .string(tiersFile))) }
        members += [
            .init("scale_retry_after", .bool(scaleRetryAfter)),
            .init("hang_limit", .duration(hangLimit)),
            .init("keep_alive_requests", .int(keepAliveRequests)),
            .init("max_header_bytes", .int(maxHeaderBytes)),
            .init("max_connections", .int(maxConnections)),
            .init("idle_timeout", .duration(idleTimeout)),
            .init("header_timeout", .duration(headerTimeout)),
            .init("body_timeout", .duration(bodyTimeout)),
            .init("faults", faults.canonicalJSON),
            .init("batch", batch.canonicalJSON),
        ]
        if let prefixCache {
            members.append(.init("prefix_cache", .object([
                .init("block_tokens", .int(prefixCache.blockTokens)), .init("min_tokens", .int(prefixCache.minTokens)),
                .init("capacity_tokens", .int(prefixCache.capacityTokens)),
            ])))
        }
        if let cpuBurnPerEvent { members.append(.init("cpu_burn_per_event", .duration(cpuBurnPerEvent))) }
        return .object(members)
    }
}

extension MockBatchSettings {
    /// The `mock.batch:` section, every field written (`time_scale` and `tokens_per_second` when set).
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = []
        if let timeScale { members.append(.init("time_scale", .double(timeScale))) }
        members += [
            .init("validate_min", .duration(validateMin)),
            .init("validate_max", .duration(validateMax)),
            .init("validate_per_mb", .duration(validatePerMB)),
            .init("queue_delay", .object([
                .init("median", .duration(queueDelayMedian)), .init("sigma", .double(queueDelaySigma)),
            ])),
            .init("stall_probability", .double(stallProbability)),
            .init("stall_duration", .duration(stallDuration)),
            .init("lines_per_second", .double(linesPerSecond)),
        ]
        if let tokensPerSecond { members.append(.init("tokens_per_second", .double(tokensPerSecond))) }
        if !modelRates.isEmpty {
            let rates = modelRates.keys.sorted().compactMap { name in
                modelRates[name].map { rate -> JSONValue.Member in
                    var fields: [JSONValue.Member] = [.init("lines_per_second", .double(rate.linesPerSecond))]
                    if let tokens = rate.tokensPerSecond { fields.append(.init("tokens_per_second", .double(tokens))) }
                    return JSONValue.Member(name, .object(fields))
                }
            }
            members.append(.init("models", .object(rates)))
        }
        members += [
            .init("finalize_min", .duration(finalizeMin)),
            .init("finalize_max", .duration(finalizeMax)),
            .init("cancel_min", .duration(cancelMin)),
            .init("cancel_max", .duration(cancelMax)),
            .init("creations_per_hour", .int(creationsPerHour)),
            .init("max_file_bytes", .int(maxFileBytes)),
            .init("line_latency", .bool(lineLatency)),
        ]
        return .object(members)
    }
}

extension MockLatencyModel {
    /// Every field; `prefill_per_token` only when set, so scenarios without it keep their canonical form.
    var canonicalJSON: JSONValue {
        var members: [JSONValue.Member] = [
            .init("base", base.canonicalJSON), .init("per_token", perOutputToken.canonicalJSON),
            .init("ttft", ttft.canonicalJSON), .init("itl", itl.canonicalJSON),
        ]
        if prefillPerToken != .zero { members.append(.init("prefill_per_token", prefillPerToken.canonicalJSON)) }
        return .object(members)
    }
}

extension LatencyDistribution {
    var canonicalJSON: JSONValue {
        .object([
            .init("dist", .string(kind.rawValue)), .init("mean", .duration(mean)), .init("stddev", .duration(stddev)),
        ])
    }
}

extension MockFaultSettings {
    var canonicalJSON: JSONValue {
        let rates = statusRates.keys.sorted().compactMap { status in
            statusRates[status].map { JSONValue.Member(String(status), .double($0)) }
        }
        let windows = schedule.map { window -> JSONValue in
            var members: [JSONValue.Member] = [
                .init("start", .duration(window.start)), .init("duration", .duration(window.duration)),
            ]
            switch window.action {
            case .status(let status): members.append(.init("status", .int(status)))
            case .freeze: members.append(.init("freeze", .bool(true)))
            }
            return .object(members)
        }
        return .object([
            .init("status_rates", .object(rates)),
            .init("reset_rate", .double(resetRate)),
            .init("hang_rate", .double(hangRate)),
            .init("slow_first_byte", .object([
                .init("rate", .double(slowFirstByteRate)), .init("delay", .duration(slowFirstByteDelay)),
            ])),
            .init("truncate_stream_rate", .double(truncateStreamRate)),
            .init("malformed_json_rate", .double(malformedJSONRate)),
            .init("schedule", .array(windows)),
        ])
    }
}
