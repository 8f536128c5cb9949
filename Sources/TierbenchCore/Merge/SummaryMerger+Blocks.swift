import Histogram

extension SummaryMerger {
    /// Latency, response time, send lateness and the streaming distributions, from the merged histograms.
    static func mergeLatencies(_ set: ShardSet, into merged: inout RunSummary) throws(MergeError) {
        func parts(_ pick: (RunSummary.Histograms) -> HistogramSnapshot?) -> [HistogramMerge.Part] {
            set.members.compactMap { member in
                pick(member.summary.histograms).map { HistogramMerge.Part(path: member.path, snapshot: $0) }
            }
        }
        func combine(_ name: String, _ pick: (RunSummary.Histograms) -> HistogramSnapshot?,
                    _ stats: (RunSummary) -> DurationStats?) throws(MergeError) -> (HistogramSnapshot, DurationStats)? {
            let found = parts(pick)
            guard !found.isEmpty else { return nil }
            let histogram = try HistogramMerge.merge(found, name: name)
            let moments = set.members.compactMap { stats($0.summary) }
            return (HistogramSnapshot(histogram), HistogramMerge.stats(histogram, moments: moments))
        }
        if let (snapshot, stats) = try combine("histograms.latency", { $0.latency }, { $0.latencyMs }) {
            merged.histograms.latency = snapshot
            merged.latencyMs = stats
        }
        if let (snapshot, stats) = try combine("histograms.response_time", { $0.responseTime }, { $0.responseTimeMs }) {
            merged.histograms.responseTime = snapshot
            merged.responseTimeMs = stats
        }
        if let (snapshot, stats) = try combine("histograms.send_lateness", { $0.sendLateness }, { $0.sendLatenessMs }) {
            merged.histograms.sendLateness = snapshot
            merged.sendLatenessMs = stats
        }
        let ttft = try combine("histograms.ttft", { $0.ttft }, { $0.ttftMs })
        merged.histograms.ttft = ttft?.0
        merged.ttftMs = ttft?.1
        let itl = try combine("histograms.itl", { $0.itl }, { $0.itlMs })
        merged.histograms.itl = itl?.0
        merged.itlMs = itl?.1
        let tpot = try combine("histograms.tpot", { $0.tpot }, { $0.tpotMs })
        merged.histograms.tpot = tpot?.0
        merged.tpotMs = tpot?.1
    }

    /// The retries block, when every shard has one: counts summed, rates recomputed, distributions merged.
    static func mergeRetries(_ set: ShardSet, dropped: inout [String]) throws(MergeError) -> RetrySummary? {
        let blocks = set.members.compactMap { member in member.summary.retries.map { (member.path, $0) } }
        guard blocks.count == set.count, var merged = blocks.first?.1 else {
            if !blocks.isEmpty { dropped.append("retries") }
            return nil
        }
        let total = set.members.reduce(0) { $0 &+ $1.summary.requests.total }
        let failed = set.members.reduce(0) { $0 &+ $1.summary.requests.failed }
        let succeeded = set.members.reduce(0) { $0 &+ $1.summary.requests.succeeded }
        merged.attempts = blocks.reduce(0) { $0 &+ $1.1.attempts }
        merged.retries = blocks.reduce(0) { $0 &+ $1.1.retries }
        merged.retriedRequests = blocks.reduce(0) { $0 &+ $1.1.retriedRequests }
        merged.byCause = sumCounts(blocks.map(\.1.byCause))
        merged.failedAttempts = max(0, merged.attempts - succeeded)
        merged.attemptErrorRate = ratio(merged.failedAttempts, merged.attempts)
        // First-attempt failures are not stored; each shard's rate × its total gives them back (rounded to 1e-6).
        let firstFailures = zip(set.members, blocks).reduce(0.0) {
            $0 + $1.1.1.firstAttemptErrorRate * Double($1.0.summary.requests.total)
        }
        merged.firstAttemptErrorRate = total > 0 ? (firstFailures / Double(total) * 1e6).rounded() / 1e6 : 0
        merged.finalErrorRate = ratio(failed, total)
        merged.backoffTotalMs = RunSummary.rounded(blocks.reduce(0.0) { $0 + $1.1.backoffTotalMs })
        let request = try HistogramMerge.merge(
            blocks.map { HistogramMerge.Part(path: $0.0, snapshot: $0.1.histograms.requestLatency) },
            name: "retries.histograms.request_latency")
        let backoff = try HistogramMerge.merge(
            blocks.map { HistogramMerge.Part(path: $0.0, snapshot: $0.1.histograms.backoff) },
            name: "retries.histograms.backoff")
        merged.histograms = RetrySummary.Histograms(
            requestLatency: HistogramSnapshot(request), backoff: HistogramSnapshot(backoff))
        merged.requestLatencyMs = HistogramMerge.stats(request, moments: blocks.map(\.1.requestLatencyMs))
        merged.backoffMs = HistogramMerge.stats(backoff, moments: blocks.map(\.1.backoffMs))
        return merged
    }

    /// The generator block: the shards' targets summed (each shard records its share of the plan's rate, rate / N, so
    /// the sum is the plan's rate; nil unless every shard has one), achieved rates summed (the shards send at the same
    /// time, each its own stripe), counts summed, a limit flag set when any shard set it, workers and threads summed.
    static func mergeGenerator(_ parts: [RunSummary.Generator]) -> RunSummary.Generator {
        let targets = parts.compactMap(\.targetRequestsPerS)
        let target = targets.count == parts.count && !targets.isEmpty
            ? RunSummary.rounded(targets.reduce(0.0, +)) : nil
        let workers = parts.compactMap(\.workers)
        let threads = parts.compactMap(\.threads)
        return RunSummary.Generator(
            loadModel: parts.first?.loadModel,
            targetRequestsPerS: target,
            achievedRequestsPerS: RunSummary.rounded(parts.reduce(0.0) { $0 + $1.achievedRequestsPerS }),
            lateSends: parts.reduce(0) { $0 &+ $1.lateSends },
            lateSendThresholdMs: parts.first?.lateSendThresholdMs ?? 0,
            limitedByGenerator: parts.contains(where: \.limitedByGenerator),
            workers: workers.count == parts.count ? workers.reduce(0, &+) : nil,
            threads: threads.count == parts.count ? threads.reduce(0, &+) : nil,
            heldSends: parts.reduce(0) { $0 &+ $1.heldSends },
            droppedSends: parts.reduce(0) { $0 &+ $1.droppedSends },
            limitedByMaxInFlight: parts.contains(where: \.limitedByMaxInFlight))
    }

    /// The achieved send rate over the union of the shards' send spans on the wall clock: (n − 1) / (latest last
    /// send − earliest first send) over the n measured sends of every shard, as one run's figure is over its own sends
    /// (docs/metrics.md). nil when a shard lacks the send times (results of an older tierbench: the per-shard rates
    /// are summed instead), with fewer than 2 sends, or a zero span.
    static func unionSendRate(_ set: ShardSet) -> Double? {
        let firsts = set.members.compactMap(\.shard.firstSendUnixNs)
        let lasts = set.members.compactMap(\.shard.lastSendUnixNs)
        let sends = set.members.reduce(0) { $0 &+ $1.summary.requests.total }
        let withSends = set.members.filter { $0.summary.requests.total > 0 }.count
        guard firsts.count == withSends, lasts.count == withSends, sends >= 2,
              let first = firsts.min(), let last = lasts.max(), last > first
        else { return nil }
        // In Double: both are range-checked origins-like times, but their difference is formed without Int64 traps.
        return RunSummary.rounded(Double(sends - 1) / ((Double(last) - Double(first)) / 1e9))
    }

    /// Cost recomputed from the summed tokens with the prices the shards recorded (no second price source); left out
    /// when the shards priced with different tables.
    static func mergeCost(_ summaries: [RunSummary], merged: RunSummary, dropped: inout [String]) -> CostSummary? {
        let blocks = summaries.compactMap(\.cost)
        guard var cost = blocks.first else { return nil }
        func priceKey(_ block: CostSummary) -> [String] {
            [block.model, block.priceDate, block.priceSource, "\(block.inputPer1MUSD)", "\(block.outputPer1MUSD)",
             "\(block.batchInputPer1MUSD)", "\(block.batchOutputPer1MUSD)", "\(block.cachedInputPer1MUSD ?? -1)"]
        }
        guard blocks.count == summaries.count, blocks.allSatisfy({ priceKey($0) == priceKey(cost) }) else {
            dropped.append("cost")
            return nil
        }
        let price = PriceTable.ModelPrice(
            input: cost.inputPer1MUSD, cachedInput: cost.cachedInputPer1MUSD, output: cost.outputPer1MUSD,
            batchInput: cost.batchInputPer1MUSD, batchOutput: cost.batchOutputPer1MUSD)
        let usage = TokenUsage(
            prompt: merged.tokens.prompt, completion: merged.tokens.completion, total: merged.tokens.total,
            cachedPrompt: merged.tokens.cachedPrompt)
        let standard = price.usd(usage)
        cost.usd = CostSummary.rounded(standard)
        let succeeded = merged.requests.succeeded
        cost.per1000RequestsUSD = succeeded > 0 ? CostSummary.rounded(standard / Double(succeeded) * 1_000) : 0
        let perPrompt = merged.requests.promptsSucceeded > 0 ? 1 / Double(merged.requests.promptsSucceeded) : 0
        cost.projectedUSD = CostSummary.rounded(standard * perPrompt * Double(cost.projectedPrompts))
        cost.projectedBatchUSD = CostSummary.rounded(price.batchUSD(usage) * perPrompt * Double(cost.projectedPrompts))
        let budgets = blocks.compactMap(\.budget)
        if !budgets.isEmpty {
            // Each shard enforced its share of the budget (max_usd / N): the shares sum to the plan's budget.
            cost.budget = CostSummary.Budget(
                maxUSD: CostSummary.rounded(budgets.reduce(0.0) { $0 + $1.maxUSD }), spentUSD: CostSummary.rounded(budgets.reduce(0.0) { $0 + $1.spentUSD }),
                stopped: budgets.contains(where: \.stopped))
        }
        return cost
    }

    /// Trusted only when every shard was; problems prefixed with their shard; CPU figures summed (cores) or the
    /// maximum (busiest thread). The lag distributions have no histograms and are left out.
    static func mergeSelfCheck(_ set: ShardSet, dropped: inout [String]) -> SelfCheck? {
        let checks = set.members.compactMap { member in member.summary.selfCheck.map { (member.shard.index, $0) } }
        guard checks.count == set.count else {
            if !checks.isEmpty { dropped.append("self_check") }
            return nil
        }
        if checks.contains(where: { $0.1.loopLagMs != nil || $0.1.mockScheduleLagMs != nil }) {
            dropped.append("self_check.loop_lag_ms")
            dropped.append("self_check.mock_schedule_lag_ms")
        }
        return SelfCheck(
            trusted: checks.allSatisfy(\.1.trusted),
            problems: checks.flatMap { index, check in check.problems.map { "shard \(index): \($0)" } },
            loopLagMs: nil,
            processCPUCores: RunSummary.rounded(checks.reduce(0.0) { $0 + $1.1.processCPUCores }),
            busiestLoadThreadCPU: checks.map(\.1.busiestLoadThreadCPU).max() ?? 0,
            coresAvailable: checks.reduce(0) { $0 &+ $1.1.coresAvailable }, mockScheduleLagMs: nil)
    }
}
