import NIOCore
import TierbenchCore

/// The discrete-event simulation: status changes of all batches in global time order, lines in between.
extension BatchStore {
    /// Advances every batch to virtual time `target` (never backwards), executing at most `budget` lines. Returns
    /// false when the budget ran out first: then lines have run but no status change past them was applied and
    /// `now` is unchanged, so calling again continues exactly where this stopped.
    static func advance(_ state: inout State, to target: Double, responder: MockResponder, budget: Int = .max) -> Bool {
        let target = max(target, state.now)
        var budget = budget
        while true {
            // The earliest status change at or before `target`, over all active batches (ties: creation order).
            var next: (time: Double, id: String)?
            for id in state.active {
                // Taken out while it changes, so its buffers stay uniquely referenced (no copy on write).
                guard var batch = state.batches.removeValue(forKey: id) else { continue }
                let time = transitionTime(&batch, target: target, state: &state, responder: responder, budget: &budget)
                state.batches[id] = batch
                if budget <= 0 { return false }
                if let time, time <= target, time < (next?.time ?? .infinity) { next = (time, id) }
            }
            guard let (time, id) = next, var batch = state.batches.removeValue(forKey: id) else { break }
            state.now = max(state.now, time)
            let applied = apply(&batch, at: time, state: &state, responder: responder, budget: &budget)
            state.batches[id] = batch
            // An expiry writes its error lines in slices too; the rest follows in the next slice.
            if !applied { return false }
            if batch.object.status.isTerminal { state.active.removeAll { $0 == id } }
        }
        state.now = target
        return true
    }

    /// When `batch` next changes status (possibly after `target`); lines of a running batch are run up to
    /// `target` first (or to its expiry or cancel end, whichever is earlier), since they only affect the batch itself.
    private static func transitionTime(
        _ batch: inout SimulatedBatch, target: Double, state: inout State, responder: MockResponder, budget: inout Int
    ) -> Double? {
        switch batch.object.status {
        case .validating:
            // Its input is validated outside the lock; until the verdict is in, the batch stays validating.
            guard batch.validated else { return nil }
            return min(batch.phaseStart + batch.plan.validate, batch.expires)
        case .inProgress:
            batch.runLines(
                upTo: min(target, batch.expires), responder: responder, counters: &state.totals, budget: &budget)
            if budget <= 0 { return nil }
            if batch.linesDone && batch.lastFinish <= batch.expires { return batch.lastFinish }
            return batch.expires
        case .finalizing:
            return batch.phaseStart + batch.plan.finalize
        case .cancelling:
            let end = batch.cancelEnd ?? batch.phaseStart
            batch.runLines(upTo: min(target, end), responder: responder, counters: &state.totals, budget: &budget)
            return end
        case .completed, .failed, .expired, .cancelled:
            return nil
        }
    }

    /// Applies the status change due at `time`; false when an expiry used up `budget` before its last error line
    /// (the batch stays `in_progress`, and the same change is due again).
    private static func apply(
        _ batch: inout SimulatedBatch, at time: Double, state: inout State, responder: MockResponder, budget: inout Int
    ) -> Bool {
        let stamp = Int(time.rounded(.down))
        let runtime = responder.runtime
        switch batch.object.status {
        case .validating:
            batch.object.model = batch.model
            if time >= batch.expires && batch.phaseStart + batch.plan.validate > batch.expires {
                batch.object.status = .expired
                batch.object.expiredAt = stamp
                batch.input = nil
                batch.pendingRanges = []
            } else if !batch.passedValidation {
                fail(&batch, errors: batch.errors, stamp: stamp)
            } else if let model = batch.model,
                let limit = runtime.tiers.limits(for: model, settings: runtime.settings).batchQueue,
                queuedTokens(model: model, for: batch, state: state) + batch.inputTokens > limit
            {
                fail(
                    &batch,
                    errors: [.tokenLimitExceeded(model: model, organization: runtime.settings.organization, limit: limit)],
                    stamp: stamp)
            } else {
                batch.object.status = .inProgress
                batch.object.inProgressAt = stamp
                batch.object.requestCounts.total = batch.pendingRanges.count
                batch.object.usage = BatchObject.Usage()
                let rate = runtime.settings.batch.rate(for: batch.model ?? "")
                batch.scheduleLines(start: time + batch.plan.queue, rate: rate, ranges: batch.pendingRanges)
                batch.pendingRanges = []
            }
        case .inProgress:
            if batch.linesDone && batch.lastFinish <= batch.expires {
                batch.object.status = .finalizing
                batch.object.finalizingAt = stamp
            } else {
                guard batch.expireUnfinished(counters: &state.totals, budget: &budget) else { return false }
                finish(&batch, status: .expired, at: time, state: &state)
            }
        case .finalizing:
            finish(&batch, status: .completed, at: time, state: &state)
        case .cancelling:
            finish(&batch, status: .cancelled, at: time, state: &state)
        case .completed, .failed, .expired, .cancelled:
            break
        }
        batch.phaseStart = time
        return true
    }

    /// Input tokens of `model`'s other batches that hold them now: every one in progress or finalizing, and those
    /// created earlier that are still validating (and will pass): a later batch never fails an earlier one.
    private static func queuedTokens(model: String, for batch: SimulatedBatch, state: State) -> Int {
        var total = 0
        for id in state.active where id != batch.object.id {
            guard let other = state.batches[id], other.model == model, other.passedValidation,
                other.object.status.holdsQueuedTokens
            else { continue }
            if other.object.status == .validating && other.sequence > batch.sequence { continue }
            total += other.inputTokens
        }
        return total
    }

    private static func fail(_ batch: inout SimulatedBatch, errors: [BatchError], stamp: Int) {
        batch.object.status = .failed
        batch.object.failedAt = stamp
        batch.object.errors = errors
        batch.input = nil
        batch.pendingRanges = []
    }

    /// Ends a batch: the output file (if any line succeeded) and the error file (if any failed or expired) become
    /// `batch_output` files; unfinished lines of a cancelled batch are dropped.
    private static func finish(_ batch: inout SimulatedBatch, status: BatchStatus, at time: Double, state: inout State) {
        let stamp = Int(time.rounded(.down))
        batch.pending.removeAll()
        batch.nextLine = batch.lines.count
        let expiry = stamp + (batch.outputExpiresAfter ?? 2_592_000)
        // Output file ids from the batch's own stream: they do not depend on what other batches did.
        var random = MockRandom(seed: batch.plan.lineSeed ^ 0x0F11_E0D7_0000_0000)
        batch.output.seal()
        batch.errorOutput.seal()
        for (content, kind) in [(batch.output, "output"), (batch.errorOutput, "error")] where !content.isEmpty {
            let file = FileObject(
                id: "file-" + random.base62(22), bytes: content.count, createdAt: stamp, expiresAt: expiry,
                filename: "batch_\(batch.object.id.dropFirst(6))_\(kind).jsonl", purpose: "batch_output")
            state.files[file.id] = StoredFile(object: file, content: content)
            state.fileOrder.append(file.id)
            if kind == "output" { batch.object.outputFileID = file.id } else { batch.object.errorFileID = file.id }
        }
        batch.output = BatchFileContent()
        batch.errorOutput = BatchFileContent()
        batch.lines = []
        batch.input = nil
        batch.object.status = status
        switch status {
        case .completed: batch.object.completedAt = stamp
        case .expired: batch.object.expiredAt = stamp
        case .cancelled: batch.object.cancelledAt = stamp
        default: break
        }
    }
}
