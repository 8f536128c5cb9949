/// Range checks on the numbers of one shard's summary.json, run before anything is merged: a count read from a file
/// may be negative, `Int.min` or huge, and Swift traps on the subtractions and sums merge does (docs/distributed.md,
/// "What merge refuses"). Every problem is an `unreadable` refusal (exit 65) naming the file and the key.
enum ShardSummaryCheck {
    /// The largest count one shard may report. With at most `ShardSlice.maxCount` shards the sums stay far below
    /// `Int.max` (1e13 × 1024 ≈ 1e16 < 9.2e18).
    static let maxCountValue = 10_000_000_000_000
    /// Origins must lie in 2000-01-01T00:00:00Z … 2262-01-01T00:00:00Z (Unix ns): a plausible clock, with room to add
    /// a run's duration without leaving Int64.
    static let originRange: ClosedRange<Int64> = 946_684_800_000_000_000...9_214_646_400_000_000_000

    /// Checks `summary` (from `path`, whose shard block is `shard`).
    static func check(_ summary: RunSummary, shard: ShardInfo, path: String) throws(MergeError) {
        func refuse(_ key: String, _ value: String, _ rule: String) -> MergeError {
            .unreadable(path: path, reason: "`\(key)` is \(value); \(rule)")
        }
        func count(_ key: String, _ value: Int) throws(MergeError) {
            guard (0...maxCountValue).contains(value) else {
                throw refuse(key, "\(value)", "it must be a count in 0…\(maxCountValue)")
            }
        }
        func number(_ key: String, _ value: Double) throws(MergeError) {
            guard value.isFinite, value >= 0, value <= 1e15 else {
                throw refuse(key, "\(value)", "it must be a finite number in 0…1e15")
            }
        }
        func counts(_ key: String, _ values: [String: Int]) throws(MergeError) {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) { try count("\(key).\(name)", value) }
        }

        let requests = summary.requests
        try count("requests.total", requests.total)
        try count("requests.succeeded", requests.succeeded)
        try count("requests.failed", requests.failed)
        try count("requests.warmup_excluded", requests.warmupExcluded)
        try count("requests.prompts", requests.prompts)
        try count("requests.prompts_succeeded", requests.promptsSucceeded)
        try count("requests.attempts", requests.attempts)
        try count("requests.retried", requests.retried)
        guard requests.succeeded <= requests.total, requests.failed <= requests.total else {
            throw refuse("requests", "succeeded \(requests.succeeded), failed \(requests.failed), total "
                + "\(requests.total)", "succeeded and failed cannot exceed total")
        }
        try count("tokens.prompt", summary.tokens.prompt)
        try count("tokens.completion", summary.tokens.completion)
        try count("tokens.total", summary.tokens.total)
        try count("tokens.cached_prompt", summary.tokens.cachedPrompt)
        try count("tokens.responses_with_usage", summary.tokens.responsesWithUsage)
        try count("bytes.sent", summary.bytes.sent)
        try count("bytes.received", summary.bytes.received)
        try counts("status_counts", summary.statusCounts)
        try counts("errors", summary.errors)
        try number("duration_s", summary.durationS)
        try number("measured_window_s", summary.measuredWindowS)

        let generator = summary.generator
        try count("generator.late_sends", generator.lateSends)
        try count("generator.held_sends", generator.heldSends)
        try count("generator.dropped_sends", generator.droppedSends)
        if let workers = generator.workers { try count("generator.workers", workers) }
        if let threads = generator.threads { try count("generator.threads", threads) }
        if let target = generator.targetRequestsPerS { try number("generator.target_requests_per_s", target) }
        try number("generator.achieved_requests_per_s", generator.achievedRequestsPerS)

        let series = summary.timeSeries
        for (key, values) in [("requests", series.requests), ("errors", series.errors),
                              ("rate_limited", series.rateLimited)] {
            for (bucket, value) in values.enumerated() { try count("time_series.\(key)[\(bucket)]", value) }
        }
        for (bucket, (sent, failed)) in zip(series.requests, series.errors).enumerated() where failed > sent {
            throw refuse("time_series.errors[\(bucket)]", "\(failed)",
                         "a bucket cannot have more errors than its \(sent) requests")
        }
        for (bucket, mean) in series.latencyMeanMs.enumerated() {
            try number("time_series.latency_mean_ms[\(bucket)]", mean)
        }

        if let retries = summary.retries {
            try count("retries.attempts", retries.attempts)
            try count("retries.retries", retries.retries)
            try count("retries.retried_requests", retries.retriedRequests)
            try count("retries.failed_attempts", retries.failedAttempts)
            try counts("retries.by_cause", retries.byCause)
            try number("retries.backoff_total_ms", retries.backoffTotalMs)
            try number("retries.first_attempt_error_rate", retries.firstAttemptErrorRate)
        }
        if let spent = summary.cost?.budget?.spentUSD { try number("cost.budget.spent_usd", spent) }
        if let max = summary.cost?.budget?.maxUSD { try number("cost.budget.max_usd", max) }

        guard originRange.contains(shard.originUnixNs) else {
            throw refuse("shard.origin_unix_ns", "\(shard.originUnixNs)",
                         "it must be a Unix time in ns between the years 2000 and 2262")
        }
        if let offset = shard.firstSendOffsetMs, !offset.isFinite || abs(offset) > 1e12 {
            throw refuse("shard.first_send_offset_ms", "\(offset)", "it must be a finite number of milliseconds")
        }
        for (key, value) in [("shard.first_send_unix_ns", shard.firstSendUnixNs),
                             ("shard.last_send_unix_ns", shard.lastSendUnixNs)] {
            if let value, !originRange.contains(value) {
                throw refuse(key, "\(value)", "it must be a Unix time in ns between the years 2000 and 2262")
            }
        }
        if let first = shard.firstSendUnixNs, let last = shard.lastSendUnixNs, first > last {
            throw refuse("shard.last_send_unix_ns", "\(last)", "it cannot be before shard.first_send_unix_ns (\(first))")
        }
        try count("shard.workers", shard.workers)
        try count("shard.total_workers", shard.totalWorkers)
        if let value = shard.requests { try count("shard.requests", value) }
        if let value = shard.totalRequests { try count("shard.total_requests", value) }
    }
}
