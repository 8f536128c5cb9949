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

    /// The batch side: lines answered, create → last result from the batches' stamps (in the API's clock), cost at
    /// batch prices. Without stamps (no batch ended), the wall time × `timeScale` (the mock's batch clock).
    static func batch(
        _ summary: BatchRunSummary, prompts: Int, perLine: Int, timeScale: Double
    ) -> BatchDecision.Side {
        let succeeded = min(summary.outcomes.ok &* perLine, prompts)
        let means = phaseMeans(summary)
        var phases: [String] = []
        if let value = means.validating { phases.append("validating \(SweepFormat.duration(value))") }
        if let value = means.inProgress { phases.append("in progress \(SweepFormat.duration(value))") }
        if let value = means.finalizing { phases.append("finalizing \(SweepFormat.duration(value))") }
        let count = summary.batches.count
        let batches = "\(count) batch\(count == 1 ? "" : "es")"
        return BatchDecision.Side(
            prompts: prompts, succeeded: succeeded, failed: prompts - succeeded,
            secondsToLastResult: summary.timeToCompletionS ?? summary.wallS * timeScale, costUSD: summary.cost.usd,
            rateLimited: summary.httpStatuses["429"] ?? 0, retries: summary.resubmittedLines,
            detail: phases.isEmpty ? batches : batches + " (" + (count == 1 ? "" : "mean: ")
                + phases.joined(separator: ", ") + ")")
    }

    /// Mean seconds of each phase over the batches that went through it (a failed batch has no finalizing).
    static func phaseMeans(_ summary: BatchRunSummary) -> (validating: Double?, inProgress: Double?, finalizing: Double?) {
        func mean(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        }
        let phases = summary.batches.map(\.phases)
        return (mean(phases.map(\.validatingS)), mean(phases.map(\.inProgressS)), mean(phases.map(\.finalizingS)))
    }

    /// Tokens a request is charged against TPM/TPD: its prompt tokens plus `n × max_tokens` (15 when the template
    /// sets none), as OpenAI and the mock count them (openai-api.md §4.2) — the actual usage only when the mock
    /// corrects its buckets to it (`correct_to_actual_usage`).
    static func chargedTokensPerRequest(_ summary: RunSummary, request: JSONValue, correctsToUsage: Bool) -> Double {
        let succeeded = Double(max(summary.requests.succeeded, 1))
        if correctsToUsage { return Double(summary.tokens.total) / succeeded }
        let maxTokens = request["max_completion_tokens"]?.intValue ?? request["max_tokens"]?.intValue
            ?? TokenEstimator.defaultCompletionReservation
        let choices = min(max(request["n"]?.intValue ?? 1, 1), 128)
        return Double(summary.tokens.prompt) / succeeded + Double(choices) * Double(min(max(maxTokens, 0), 1_000_000))
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
        minuteFill: Double, latency model: MockLatencyModel?, chargedTokensPerRequest: Double
    ) -> SyncJobModel {
        let succeededRequests = max(summary.requests.succeeded, 1)
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
            limits: SyncJobModel.limits(limits, tokensPerRequest: chargedTokensPerRequest, minuteFill: minuteFill))
    }

    /// The batch projection from the measured batches: mean validating and finalizing time per batch that had
    /// them, in-progress time per line over all lines, and the tier's queue limit.
    static func batchModel(_ summary: BatchRunSummary, limits: TierLimits?) -> BatchJobModel {
        let means = phaseMeans(summary)
        let lines = max(summary.batches.reduce(0) { $0 &+ $1.lines }, 1)
        let inProgress = summary.batches.reduce(0.0) { $0 + ($1.phases.inProgressS ?? 0) }
        return BatchJobModel(
            validatingSeconds: means.validating ?? 0, inProgressSeconds: inProgress,
            finalizingSeconds: means.finalizing ?? 0, measuredLines: lines,
            tokensPerLine: Double(summary.tokens.input) / Double(max(summary.lines, 1)),
            queueTokenLimit: limits?.batchQueueTokens)
    }

    /// Caveats: a synchronous side slower than its model by more than a quarter under a compressed clock was held
    /// back by this machine (each wall millisecond is `time_scale` ms of virtual time), not by the tier; a side
    /// stopped by `--sync-timeout`; a batch model fitted on a small job (its in-progress time includes the queue
    /// wait, which does not grow with the lines).
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
        let requests = SyncJobModel.ceilingDivide(decision.prompts, decision.syncModel.promptsPerRequest)
        if decision.sync.failed > 0, report.summary.requests.total < requests {
            notes.append("the sync side stopped at --sync-timeout before sending every prompt")
        }
        if decision.batchModel.measuredLines < 1_000 {
            notes.append(
                "the batch model is fitted on \(decision.batchModel.measuredLines) lines; its in-progress time "
                    + "includes the queue wait, spread per line, so projections far from this size are rough")
        }
        return notes
    }
}
