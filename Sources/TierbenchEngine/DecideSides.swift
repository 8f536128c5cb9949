import TierbenchCore

/// Turns the two measured runs of `tierbench decide` into `BatchDecision` sides and projection models, in real
/// units.
enum DecideSides {
    /// The synchronous side: the prompts answered, the time to the last result (wall × the mock's time scale),
    /// the cost at synchronous prices, 429s (retried and final) and retries.
    static func sync(
        _ summary: RunSummary, prompts: Int, workers: Int, perRequest: Int, timeScale: Double
    ) -> BatchDecision.Side {
        let succeeded = min(summary.requests.promptsSucceeded, prompts)
        let retried429 = summary.retries?.byCause[ErrorClass.rateLimited.rawValue] ?? 0
        let final429 = summary.errors[ErrorClass.rateLimited.rawValue] ?? 0
        return BatchDecision.Side(
            prompts: prompts, succeeded: succeeded, failed: prompts - succeeded,
            secondsToLastResult: summary.durationS * timeScale, costUSD: summary.cost?.usd,
            rateLimited: retried429 &+ final429, retries: summary.retries?.retries ?? 0,
            detail: "\(workers) workers, \(perRequest) prompt\(perRequest == 1 ? "" : "s") a request")
    }

    /// The batch side: lines answered, create → last result from the batches' stamps, cost at batch prices.
    static func batch(_ summary: BatchRunSummary, prompts: Int, perLine: Int) -> BatchDecision.Side {
        let succeeded = min(summary.outcomes.ok &* perLine, prompts)
        var phases: [String] = []
        let count = max(summary.batches.count, 1)
        if let value = summary.phases.validatingS { phases.append("validating \(SweepFormat.duration(value / Double(count)))") }
        if let value = summary.phases.inProgressS { phases.append("in progress \(SweepFormat.duration(value / Double(count)))") }
        if let value = summary.phases.finalizingS { phases.append("finalizing \(SweepFormat.duration(value / Double(count)))") }
        let batches = "\(summary.batches.count) batch\(summary.batches.count == 1 ? "" : "es")"
        return BatchDecision.Side(
            prompts: prompts, succeeded: succeeded, failed: prompts - succeeded,
            secondsToLastResult: summary.timeToCompletionS ?? summary.wallS, costUSD: summary.cost.usd,
            rateLimited: summary.httpStatuses["429"] ?? 0, retries: summary.resubmittedLines,
            detail: phases.isEmpty ? batches : batches + " (each: " + phases.joined(separator: ", ") + ")")
    }

    /// The synchronous projection: against the mock, what the workers sustain at the mock's service time, bounded
    /// by the tier's RPM/TPM (per-minute buckets as full at the start as the mock's `initial_fill`) and RPD/TPD;
    /// against a real target (limits unknown), the measured rate.
    ///
    /// The service time is the mock's latency model (base + per output token × the measured output tokens) when
    /// time is compressed: a measured latency × `time_scale` would multiply this machine's own overhead (a
    /// millisecond of event-loop time becomes 8.6 s at 8,640×). In real time (scale 1) it is the measured mean.
    static func syncModel(
        _ summary: RunSummary, workers: Int, perRequest: Int, timeScale: Double, limits: TierLimits?,
        minuteFill: Double, latency model: MockLatencyModel?
    ) -> SyncJobModel {
        let succeededRequests = max(summary.requests.succeeded, 1)
        let tokensPerRequest = Double(summary.tokens.total) / Double(succeededRequests)
        guard let limits else {
            let seconds = summary.durationS * timeScale
            let rate = seconds > 0 ? Double(summary.requests.succeeded) / seconds : 0
            return SyncJobModel(workerRate: rate, promptsPerRequest: perRequest)
        }
        let outputTokens = Double(summary.tokens.completion) / Double(succeededRequests)
        let latency: Double
        if let model, timeScale > 1 {
            latency = model.base.mean.seconds + model.perOutputToken.mean.seconds * outputTokens
        } else {
            latency = summary.latencyMs.mean / 1000 * timeScale
        }
        let workerRate = latency > 0 ? Double(max(workers, 1)) / latency : .infinity
        return SyncJobModel(
            workerRate: workerRate, promptsPerRequest: perRequest,
            limits: SyncJobModel.limits(limits, tokensPerRequest: tokensPerRequest, minuteFill: minuteFill))
    }

    /// The batch projection from the measured batches: fixed phases per batch, in-progress time per line.
    static func batchModel(_ summary: BatchRunSummary, limits: TierLimits?) -> BatchJobModel {
        let count = Double(max(summary.batches.count, 1))
        let lines = max(summary.lines, 1)
        return BatchJobModel(
            validatingSeconds: (summary.phases.validatingS ?? 0) / count,
            inProgressSeconds: summary.phases.inProgressS ?? 0,
            finalizingSeconds: (summary.phases.finalizingS ?? 0) / count,
            measuredLines: lines, tokensPerLine: Double(summary.tokens.input) / Double(lines),
            queueTokenLimit: limits?.batchQueueTokens)
    }

    /// Caveats: a synchronous side slower than its model by more than a quarter under a compressed clock was held
    /// back by this machine (each wall millisecond is `time_scale` ms of virtual time), not by the tier; a side
    /// stopped by `--sync-timeout`.
    static func notes(_ decision: BatchDecision, report: RunReport, timeScale: Double) -> [String] {
        var notes: [String] = []
        if let projected = decision.projectedSyncSeconds, projected > 0, timeScale > 1,
            decision.sync.secondsToLastResult > projected * 1.25
        {
            let wallRate = report.summary.durationS > 0
                ? Double(report.summary.requests.succeeded) / report.summary.durationS : 0
            notes.append(
                "the sync side took \(SweepFormat.duration(decision.sync.secondsToLastResult)), longer than its model's "
                    + "\(SweepFormat.duration(projected)): at time_scale \(SweepFormat.number(timeScale)) this machine "
                    + "answered \(SweepFormat.number(wallRate)) requests per wall second, which limited it; a lower "
                    + "mock.time_scale measures the tier instead")
        }
        if decision.sync.failed > 0,
            report.summary.requests.total < SyncJobModel.ceilingDivide(decision.prompts, decision.syncModel.promptsPerRequest)
        {
            notes.append("the sync side stopped at --sync-timeout before sending every prompt")
        }
        return notes
    }
}
