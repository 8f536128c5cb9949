import Foundation

extension RunSummary {
    /// Builds the summary of a run from its merged recorder.
    /// - Parameters:
    ///   - recorder: every load thread's recorder, merged.
    ///   - measuredWindow: the window rates are computed over (usually `MeasuredWindow(warmupEnd:recorder:)`).
    ///   - duration: the whole run, warmup included.
    ///   - scenario: the scenario as run, as JSON.
    ///   - toolVersion: tierbench's version.
    ///   - startedAt: wall-clock start, ISO-8601 UTC (`UTCTimestamp.iso8601(unixNanos:)`).
    ///   - endedAt: wall-clock end, ISO-8601 UTC.
    ///   - interrupted: whether the run stopped before its schedule ended.
    ///   - generator: the load generator's configuration, when known.
    public static func make(
        recorder: MetricsRecorder, measuredWindow: MeasuredWindow, duration: TimeSpan, scenario: JSONValue,
        toolVersion: String = TierbenchVersion.string, startedAt: String, endedAt: String,
        interrupted: Bool = false, generator: GeneratorInfo = GeneratorInfo()
    ) -> RunSummary {
        let window = measuredWindow.seconds
        func perSecond(_ amount: Int) -> Double { window > 0 ? rounded(Double(amount) / window) : 0 }
        func stats(_ distribution: DurationHistogram) -> DurationStats? {
            distribution.count > 0 ? DurationStats(distribution) : nil
        }
        func snapshot(_ distribution: DurationHistogram) -> HistogramSnapshot? {
            distribution.count > 0 ? HistogramSnapshot(distribution.histogram) : nil
        }
        let succeeded = recorder.succeeded
        func meanMs(_ sumMicros: UInt64) -> Double {
            succeeded > 0 ? (Double(sumMicros) / Double(succeeded)).rounded() / 1_000 : 0
        }
        let phases = recorder.phaseSums
        return RunSummary(
            schemaVersion: TierbenchVersion.summarySchema,
            toolVersion: toolVersion,
            scenario: scenario,
            startedAt: startedAt,
            endedAt: endedAt,
            durationS: rounded(max(duration.seconds, 0)),
            measuredWindowS: rounded(window),
            interrupted: interrupted,
            requests: Requests(
                total: recorder.total, succeeded: succeeded, failed: recorder.failed,
                warmupExcluded: recorder.warmupExcluded, prompts: recorder.prompts,
                promptsSucceeded: recorder.promptsSucceeded, attempts: recorder.attempts,
                retried: recorder.retriedRequests),
            errorRate: recorder.total > 0
                ? (Double(recorder.failed) / Double(recorder.total) * 1e6).rounded() / 1e6 : 0,
            throughput: Throughput(
                requestsPerS: perSecond(recorder.total), succeededPerS: perSecond(succeeded),
                promptsPerS: perSecond(recorder.promptsSucceeded), tokensPerS: perSecond(recorder.usage.total),
                promptTokensPerS: perSecond(recorder.usage.prompt),
                completionTokensPerS: perSecond(recorder.usage.completion)),
            latencyMs: DurationStats(recorder.latency),
            responseTimeMs: DurationStats(recorder.responseTime),
            sendLatenessMs: DurationStats(recorder.sendLateness),
            ttftMs: stats(recorder.timeToFirstToken),
            itlMs: stats(recorder.interTokenLatency),
            tpotMs: stats(recorder.timePerOutputToken),
            tokens: Tokens(
                prompt: recorder.usage.prompt, completion: recorder.usage.completion, total: recorder.usage.total,
                cachedPrompt: recorder.usage.cachedPrompt, responsesWithUsage: recorder.responsesWithUsage),
            bytes: Bytes(sent: recorder.bytesSent, received: recorder.bytesReceived),
            statusCounts: recorder.statuses.byCode,
            errors: recorder.errors.byLabel,
            timingsMs: PhaseTimingMeans(
                dns: meanMs(phases.dns), connect: meanMs(phases.connect), tls: meanMs(phases.tls),
                firstByte: meanMs(phases.firstByte), total: meanMs(phases.total),
                newConnections: recorder.newConnections),
            generator: makeGenerator(recorder, generator),
            histograms: Histograms(
                latency: HistogramSnapshot(recorder.latency.histogram),
                responseTime: HistogramSnapshot(recorder.responseTime.histogram),
                sendLateness: HistogramSnapshot(recorder.sendLateness.histogram),
                ttft: snapshot(recorder.timeToFirstToken), itl: snapshot(recorder.interTokenLatency),
                tpot: snapshot(recorder.timePerOutputToken)),
            timeSeries: makeTimeSeries(recorder.timeSeries),
            retries: RetrySummary(recorder))
    }

    /// The generator block: achieved send rate, late sends and whether the generator limited the run.
    private static func makeGenerator(_ recorder: MetricsRecorder, _ info: GeneratorInfo) -> Generator {
        var achieved = 0.0
        if let first = recorder.firstSend, let last = recorder.lastSend, last > first, recorder.total > 1 {
            achieved = rounded(Double(recorder.total - 1) / (Double(last - first) / 1e9))
        }
        // A late send is the generator's own lag unless it waited for a slot (max_in_flight full): that wait is the
        // server's pace at this concurrency, and says nothing about the generator.
        let scheduled = info.targetRequestsPerS != nil
        let intended = Double(recorder.total) + Double(recorder.droppedSends)
        let ownLag = recorder.lateSends - recorder.heldSends
        // More than 1% and more than two sends: one late send of a ten-request run is a hiccup, not a bottleneck.
        let limited = scheduled && ownLag > 2 && Double(ownLag) > 0.01 * Double(recorder.total)
        let held = scheduled && intended > 0
            && Double(recorder.heldSends) + Double(recorder.droppedSends - recorder.throttledDrops) > 0.01 * intended
        return Generator(
            loadModel: info.loadModel, targetRequestsPerS: info.targetRequestsPerS, achievedRequestsPerS: achieved,
            lateSends: recorder.lateSends,
            lateSendThresholdMs: Double(MetricsRecorder.lateSendThresholdNanos) / 1e6,
            limitedByGenerator: limited, workers: info.workers, threads: info.threads,
            heldSends: recorder.heldSends, droppedSends: recorder.droppedSends, limitedByMaxInFlight: held)
    }

    /// The time series up to its last non-empty bucket.
    private static func makeTimeSeries(_ series: RequestTimeSeries) -> TimeSeries {
        let used = series.lastUsed + 1
        var latencyMeans: [Double] = []
        latencyMeans.reserveCapacity(used)
        for slot in 0..<used {
            let successes = series.requests[slot] - series.errors[slot]
            latencyMeans.append(
                successes > 0 ? (Double(series.latencySumMicros[slot]) / Double(successes)).rounded() / 1_000 : 0)
        }
        /// A per-bucket percentile in ms (3 decimals); 0 for a bucket without successes, like the mean.
        func percentiles(_ quantile: Double) -> [Double] {
            (0..<used).map { slot in
                series.latencyPercentileMicros(quantile, slot: slot).map { ($0).rounded() / 1_000 } ?? 0
            }
        }
        return TimeSeries(
            bucketS: Double(series.bucketNanos) / 1e9, requests: Array(series.requests[0..<used]),
            errors: Array(series.errors[0..<used]), rateLimited: Array(series.rateLimited[0..<used]),
            latencyMeanMs: latencyMeans, latencyP50Ms: percentiles(0.5), latencyP95Ms: percentiles(0.95),
            latencyP99Ms: percentiles(0.99))
    }

    /// Rounds to 3 decimals, the precision every rate and duration in the summary is written with.
    static func rounded(_ value: Double) -> Double {
        value.isFinite ? (value * 1_000).rounded() / 1_000 : 0
    }

    /// The summary as JSON text: snake_case keys in sorted order, pretty-printed unless `pretty` is false.
    ///
    /// Pretty output keeps arrays of plain values on one line (`[20000, 90]`), so histogram buckets and time
    /// series stay readable.
    /// - Throws: `EncodingError` only if a value is not finite, which `make` never produces.
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        return pretty ? Data(JSONLayout.collapsingScalarArrays(Array(data))) : data
    }

    /// Reads a summary written by `jsonData(pretty:)`.
    /// - Throws: `DecodingError` naming the key path of the first value that does not fit the schema.
    public static func decode(_ data: Data) throws -> RunSummary {
        try JSONDecoder().decode(RunSummary.self, from: data)
    }
}
