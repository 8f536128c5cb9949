/// Merges the summaries of every shard of one plan into one summary, as if one machine had run the whole plan
/// (docs/distributed.md, "The merged result"). Pure: the caller reads the files.
///
/// Exact: histograms (added bucket by bucket after a layout check), every percentile, min and max read from them,
/// counters, mean and standard deviation (parallel formula), rates over the union window, cost from the summed
/// tokens. Not exact, so left out and listed in `merge.dropped`: the time series' windowed percentiles, the sessions
/// block and the self-check's lag distributions.
public enum SummaryMerger {
    /// The merged summary of `results` (path of each file or folder, and its decoded summary).
    /// - Throws: `MergeError` when the results are not exactly one complete shard set, or histograms cannot be merged.
    public static func merge(_ results: [(path: String, summary: RunSummary)]) throws(MergeError) -> RunSummary {
        let set = try ShardSet(results)
        let summaries = set.members.map(\.summary)
        var merged = summaries[0]
        merged.shard = nil
        var dropped: [String] = []

        merged.interrupted = summaries.contains(where: \.interrupted)
        merged.requests = sumRequests(summaries.map(\.requests))
        merged.errorRate = ratio(merged.requests.failed, merged.requests.total)
        merged.tokens = sumTokens(summaries.map(\.tokens))
        merged.bytes = RunSummary.Bytes(
            sent: summaries.reduce(0) { $0 &+ $1.bytes.sent }, received: summaries.reduce(0) { $0 &+ $1.bytes.received })
        merged.statusCounts = sumCounts(summaries.map(\.statusCounts))
        merged.errors = sumCounts(summaries.map(\.errors))
        merged.timingsMs = mergeTimings(summaries)
        let stopped = set.members.compactMap { member in
            member.summary.stoppedEarly.map { "shard \(member.shard.index): \($0)" }
        }
        merged.stoppedEarly = stopped.isEmpty ? nil : stopped.joined(separator: "; ")

        try mergeLatencies(set, into: &merged)
        merged.retries = try mergeRetries(set, dropped: &dropped)
        merged.retries?.finalAttemptLatencyMs = merged.latencyMs
        merged.generator = mergeGenerator(summaries.map(\.generator))
        if let achieved = unionSendRate(set) { merged.generator.achievedRequestsPerS = achieved }
        merged.cost = mergeCost(summaries, merged: merged, dropped: &dropped)
        merged.selfCheck = mergeSelfCheck(set, dropped: &dropped)
        if summaries.contains(where: { $0.sessions != nil }) {
            merged.sessions = nil
            dropped.append("sessions")
        }

        let window = UnionWindow(set)
        merged.measuredWindowS = RunSummary.rounded(window.measuredSeconds)
        merged.durationS = RunSummary.rounded(window.runSeconds)
        merged.startedAt = UTCTimestamp.iso8601(unixNanos: window.runStart)
        merged.endedAt = UTCTimestamp.iso8601(unixNanos: window.runEnd)
        merged.throughput = throughput(merged, seconds: window.measuredSeconds)
        merged.timeSeries = try TimeSeriesMerge.merge(set, origin: window.runStart, dropped: &dropped)
        merged.merge = info(set, window: window, dropped: dropped)
        return merged
    }

    static func ratio(_ count: Int, _ total: Int) -> Double {
        total > 0 ? (Double(count) / Double(total) * 1e6).rounded() / 1e6 : 0
    }

    static func sumCounts(_ maps: [[String: Int]]) -> [String: Int] {
        var sum: [String: Int] = [:]
        for map in maps { for (key, value) in map { sum[key, default: 0] &+= value } }
        return sum
    }

    private static func sumRequests(_ parts: [RunSummary.Requests]) -> RunSummary.Requests {
        var sum = RunSummary.Requests(
            total: 0, succeeded: 0, failed: 0, warmupExcluded: 0, prompts: 0, promptsSucceeded: 0, attempts: 0, retried: 0)
        for part in parts {
            sum.total &+= part.total
            sum.succeeded &+= part.succeeded
            sum.failed &+= part.failed
            sum.warmupExcluded &+= part.warmupExcluded
            sum.prompts &+= part.prompts
            sum.promptsSucceeded &+= part.promptsSucceeded
            sum.attempts &+= part.attempts
            sum.retried &+= part.retried
        }
        return sum
    }

    private static func sumTokens(_ parts: [RunSummary.Tokens]) -> RunSummary.Tokens {
        var sum = RunSummary.Tokens(prompt: 0, completion: 0, total: 0, cachedPrompt: 0, responsesWithUsage: 0)
        for part in parts {
            sum.prompt &+= part.prompt
            sum.completion &+= part.completion
            sum.total &+= part.total
            sum.cachedPrompt &+= part.cachedPrompt
            sum.responsesWithUsage &+= part.responsesWithUsage
        }
        return sum
    }

    /// Phase means weighted by each shard's successes (the population they average over), rounded to 1 µs.
    private static func mergeTimings(_ summaries: [RunSummary]) -> RunSummary.PhaseTimingMeans {
        let successes = summaries.reduce(0) { $0 &+ $1.requests.succeeded }
        func mean(_ value: (RunSummary.PhaseTimingMeans) -> Double) -> Double {
            guard successes > 0 else { return 0 }
            let sum = summaries.reduce(0.0) { $0 + value($1.timingsMs) * Double($1.requests.succeeded) }
            return RunSummary.rounded(sum / Double(successes))
        }
        return RunSummary.PhaseTimingMeans(
            dns: mean(\.dns), connect: mean(\.connect), tls: mean(\.tls), firstByte: mean(\.firstByte),
            total: mean(\.total), newConnections: summaries.reduce(0) { $0 &+ $1.timingsMs.newConnections })
    }

    /// Rates of the summed counts over the union window, defined as one run's (`RunSummary.make`).
    private static func throughput(_ merged: RunSummary, seconds: Double) -> RunSummary.Throughput {
        func perSecond(_ amount: Int) -> Double { seconds > 0 ? RunSummary.rounded(Double(amount) / seconds) : 0 }
        return RunSummary.Throughput(
            requestsPerS: perSecond(merged.requests.total), succeededPerS: perSecond(merged.requests.succeeded),
            promptsPerS: perSecond(merged.requests.promptsSucceeded), tokensPerS: perSecond(merged.tokens.total),
            promptTokensPerS: perSecond(merged.tokens.prompt),
            completionTokensPerS: perSecond(merged.tokens.completion))
    }

    private static func info(_ set: ShardSet, window: UnionWindow, dropped: [String]) -> MergeInfo {
        let shards = set.members.map { member in
            MergeInfo.Shard(
                index: member.shard.index, source: member.shard.source, host: member.shard.host, path: member.path,
                originUnixNs: member.shard.originUnixNs, firstSendOffsetMs: member.shard.firstSendOffsetMs,
                requests: member.summary.requests.total, succeeded: member.summary.requests.succeeded,
                measuredWindowS: member.summary.measuredWindowS, trusted: member.summary.selfCheck?.trusted)
        }
        let origins = set.members.map(\.shard.originUnixNs)
        let offsets = set.members.compactMap(\.shard.firstSendOffsetMs)
        let originSpread = (Double(origins.max() ?? 0) - Double(origins.min() ?? 0)) / 1e6
        let sendSpread = offsets.count == set.count ? (offsets.max() ?? 0) - (offsets.min() ?? 0) : nil
        return MergeInfo(
            planKey: set.planKey, count: set.count, shards: shards, windowStartUnixNs: window.measuredStart,
            windowEndUnixNs: window.measuredEnd, originSpreadMs: RunSummary.rounded(originSpread),
            firstSendSpreadMs: sendSpread.map(RunSummary.rounded), totalWorkers: set.members[0].shard.totalWorkers,
            workersSum: set.members.reduce(0) { $0 &+ $1.shard.workers }, dropped: dropped)
    }
}
