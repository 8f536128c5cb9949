extension LogAnalysis {
    /// The figures of `analyzer` (after `endFile` of its last file).
    init(_ analyzer: LogAnalyzer) {
        toolVersion = TierbenchVersion.string
        files = analyzer.files
        badRows = analyzer.badRows
        badRowsListed = analyzer.problems
        let tally = analyzer.requests
        if tally.rows > 0 {
            requests = Self.requestFigures(analyzer)
            latencyHistogram = tally.latency
            interArrivalHistogram = analyzer.gaps
            let spanS = analyzer.arrivalSpanMs / 1_000
            exactRatePerS = spanS > 0 ? Double(analyzer.arrivalIntervals) / spanS : nil
            rateWindows = Self.rateWindows(analyzer.requestArrivals, spanS: spanS)
            if let windows = rateWindows {
                requests?.arrivals.windowS = windows.width
                if let within = analyzer.gapMoments.cvWithinWindows(width: windows.width) {
                    requests?.arrivals.cvWithinWindows = Self.round3(within.cv)
                    requests?.arrivals.cvWindowS = within.width
                }
            }
        }
        if analyzer.sessions.sessions > 0 {
            sessions = Self.sessionFigures(analyzer)
            sessionDurationHistogram = analyzer.sessions.duration
        }
    }

    private static func requestFigures(_ analyzer: LogAnalyzer) -> RequestFigures {
        let tally = analyzer.requests
        let measured = tally.rows - tally.warmup
        let spanS = analyzer.arrivalSpanMs / 1_000
        let gaps = analyzer.gaps
        let meanGap = gaps.meanMicros
        let arrivals = ArrivalFigures(
            count: analyzer.arrivalsOrdered, spanS: round3(spanS),
            ratePerS: spanS > 0 ? round3(Double(analyzer.arrivalIntervals) / spanS) : 0,
            interArrivalMs: DurationStats(gaps),
            cv: meanGap > 0 ? round3(gaps.standardDeviationMicros / meanGap) : 0,
            outOfOrder: analyzer.outOfOrder, windowS: nil, cvWithinWindows: nil, cvWindowS: nil)
        let models = tally.byModel.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }.map { name, model in
            let cost = model.withUsage > 0
                ? analyzer.options.prices.cost(model: name, promptTokens: model.promptTokens,
                                               completionTokens: model.completionTokens,
                                               cachedPromptTokens: model.cachedTokens)
                : nil
            return ModelFigures(model: name, requests: model.requests, withTokens: model.withUsage,
                                promptTokens: model.promptTokens, completionTokens: model.completionTokens,
                                cachedTokens: model.cachedTokens, costUSD: cost.map { ($0 * 1e9).rounded() / 1e9 })
        }
        var byTurn: [Int]?
        if let last = tally.turnRequests.lastIndex(where: { $0 > 0 }) {
            byTurn = Array(tally.turnRequests[0...last])
        }
        var figures = RequestFigures(
            rows: tally.rows, warmup: tally.warmup, measured: measured, succeeded: tally.succeeded,
            failed: tally.failed, errorRate: measured > 0 ? (Double(tally.failed) / Double(measured) * 1e6).rounded() / 1e6 : 0,
            arrivals: arrivals, frequency: analyzer.requestArrivals.series(spanSeconds: spanS),
            latencyMs: stats(tally.latency), responseTimeMs: stats(tally.responseTime), ttftMs: stats(tally.ttft),
            promptTokens: tally.promptTokens.count > 0 ? tally.promptTokens.stats : nil,
            completionTokens: tally.completionTokens.count > 0 ? tally.completionTokens.stats : nil,
            byModel: models,
            byStatus: Dictionary(uniqueKeysWithValues: tally.byStatus.map { (String($0.key), $0.value) }),
            byErrorClass: tally.byClass, byTurn: byTurn)
        if tally.firstTurnPromptTokens.count > 0 { figures.firstTurnPromptTokens = tally.firstTurnPromptTokens.stats }
        figures.clamped = [
            "latency_ms": tally.latency.clamped, "response_time_ms": tally.responseTime.clamped,
            "ttft_ms": tally.ttft.clamped, "inter_arrival_ms": gaps.clamped,
            "prompt_tokens": tally.promptTokens.clamped, "completion_tokens": tally.completionTokens.clamped,
        ]
        return figures
    }

    private static func sessionFigures(_ analyzer: LogAnalyzer) -> SessionFigures {
        let tally = analyzer.sessions
        var bins: [DurationBin] = []
        var lower = 0.0
        for (index, count) in tally.durationBins.enumerated() {
            let upper = index < SessionTally.durationBinsS.count ? SessionTally.durationBinsS[index] : nil
            bins.append(DurationBin(lowerS: lower, upperS: upper, sessions: count))
            lower = upper ?? lower
        }
        var turns: [[Int]] = []
        for (value, count) in tally.turnsDone.exactCounts.enumerated() where count > 0 { turns.append([value, count]) }
        if tally.turnsDone.aboveExact > 0 { turns.append([SessionTally.exactTurns + 1, tally.turnsDone.aboveExact]) }
        let starts = analyzer.sessionStarts
        let startSpan = Double(max(starts.seconds.count, starts.minutes.count * 60))
        var figures = SessionFigures(
            sessions: tally.sessions, byOutcome: tally.byOutcome, durationMs: DurationStats(tally.duration),
            durationHistogram: bins, turnsDone: tally.turnsDone.stats, turnsHistogram: turns,
            turnsPlanned: tally.turnsPlanned.count > 0 ? tally.turnsPlanned.stats : nil,
            activeMs: stats(tally.active), thinkPerGapMs: stats(tally.thinkPerGap),
            promptTokens: tally.promptTokens, completionTokens: tally.completionTokens, cachedTokens: tally.cachedTokens,
            costUSD: (tally.costUSD * 1e6).rounded() / 1e6, errors: tally.errors,
            goodput: tally.sloKnown > 0 ? round3(Double(tally.sloMet) / Double(tally.sloKnown)) : nil,
            starts: starts.minutes.isEmpty ? [] : starts.series(spanSeconds: startSpan))
        if let first = tally.firstStartMs, let last = tally.lastStartMs, last > first, tally.sessions >= 2 {
            figures.startRatePerS = Double(tally.sessions - 1) / ((last - first) / 1_000)
        }
        figures.clamped = [
            "duration_ms": tally.duration.clamped, "active_ms": tally.active.clamped,
            "think_per_gap_ms": tally.thinkPerGap.clamped, "turns_done": tally.turnsDone.clamped,
        ]
        return figures
    }

    /// Windows for the profile's rate shape: the smallest width of 1 s, 10 s, 1 min, 5 min, 15 min, 1 h, 6 h or
    /// 1 day that cuts the span into at most 60 windows, and the arrivals in each.
    static func rateWindows(_ buckets: RateBuckets, spanS: Double) -> RateWindows? {
        guard spanS > 0 else { return nil }
        let widths = [1, 10, 60, 300, 900, 3_600, 21_600, 86_400]
        let width = widths.first { spanS / Double($0) <= 60 } ?? 86_400
        let (counts, covered) = buckets.windows(width: width)
        return RateWindows(width: width, counts: counts, coveredS: covered)
    }
}
