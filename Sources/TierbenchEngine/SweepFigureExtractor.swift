import TierbenchCore

/// Turns one run's report into the figures the knee analysis needs (in the run's own, possibly scaled, time).
enum SweepFigureExtractor {
    /// - Parameters:
    ///   - sloP95: The latency SLO; goodput counts successes whose service time is within it.
    ///   - timeScale: The mock's time scale; the SLO is in real units, latencies measured under the scale are
    ///     k times shorter, so the SLO is divided by k before counting.
    ///   - price: List prices of the point's model (USD per 1M tokens), for the cost of the measured window:
    ///     cached prompt tokens at the cached-input price (`PriceTable.ModelPrice.usd`).
    ///   - sendingSeconds: How long the run sent measured requests (its `duration` minus `warmup`), when it ran
    ///     for a duration. Rates are per second of this window rather than of the measured window: the measured
    ///     window also spans the drain after sending stopped (up to one latency), and counting the requests started
    ///     in the window over the time they were started in keeps a short point's rate unbiased.
    static func figures(
        report: RunReport, sloP95: TimeSpan?, batchSize: Int, timeScale: Double, price: PriceTable.ModelPrice?,
        sendingSeconds: Double? = nil
    ) -> SweepFigures {
        let summary = report.summary
        let recorder = report.recorder
        let measured = max(summary.measuredWindowS, 1e-9)
        let window = sendingSeconds.map { min(measured, max($0, 1e-9)) } ?? measured
        /// Converts a rate per second of the measured window into one per second of `window`.
        let perWindow = measured / window
        let succeeded = recorder.succeeded
        var withinSLO = succeeded
        if let slo = sloP95 {
            let limitMicros = UInt64(max(0, slo.nanoseconds) / 1_000) / UInt64(max(1, timeScale.rounded()))
            withinSLO = Int(recorder.latency.histogram.count(within: 0...max(1, limitMicros)))
        }
        let goodShare = succeeded > 0 ? Double(withinSLO) / Double(succeeded) : 0
        let attempts = max(recorder.attempts, recorder.total)
        let failedAttempts = recorder.failed + (attempts - recorder.total)
        let rateLimited = summary.statusCounts["429"] ?? 0
        let tokensPerSecond = summary.throughput.tokensPerS * perWindow
        let tokens = summary.tokens
        let cost = price?.usd(
            TokenUsage(prompt: tokens.prompt, completion: tokens.completion, cachedPrompt: tokens.cachedPrompt))
        return SweepFigures(
            requestsPerSecond: summary.throughput.requestsPerS * perWindow,
            successfulRequestsPerSecond: summary.throughput.succeededPerS * perWindow,
            promptsPerSecond: Double(summary.requests.promptsSucceeded) / window,
            tokensPerSecond: tokensPerSecond,
            inputTokensPerSecond: summary.throughput.promptTokensPerS * perWindow,
            outputTokensPerSecond: summary.throughput.completionTokensPerS * perWindow,
            goodputRequestsPerSecond: summary.throughput.succeededPerS * perWindow * goodShare,
            goodputTokensPerSecond: tokensPerSecond * goodShare,
            errorRatePerAttempt: attempts > 0 ? Double(failedAttempts) / Double(attempts) : 0,
            errorRateFinal: summary.errorRate,
            rate429: attempts > 0 ? Double(rateLimited) / Double(attempts) : 0,
            p50Ms: summary.latencyMs.p50,
            p95Ms: summary.latencyMs.p95,
            p99Ms: summary.latencyMs.p99,
            costUSD: cost,
            durationSeconds: window)
    }
}
