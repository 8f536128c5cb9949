import TierbenchCore
import TierbenchCurl

/// The load logic of one curl loop thread. It runs entirely on that thread: it starts requests when they are due
/// (closed loop: when a worker's last request ended; waves: when the whole wave ended; open loop: at the schedule's
/// intended times), retries failures after their backoff, keeps to the client throttle, and records every finished
/// request — with no thread hop and no allocation per request.
final class LoadDriver: CurlDriver {
    private let plan: LoadPlan
    /// Monotonic ns at the run's start: every time in a `RequestOutcome` is relative to it.
    private let runStart: UInt64
    /// This thread sends request numbers `offset`, `offset + stride`, … so threads never share a number.
    private let stride: Int
    private let stop: StopSignal
    private let log: RequestLogWriter?
    private let runStartUnixNanos: Int64

    private var nextRequest: Int
    private var slots: [SlotState]
    /// Idle slots, longest idle first.
    private var freeSlots: SlotQueue
    /// Closed loop: when each slot's worker became free (ns since run start; nil before its first request), the
    /// intended time of its next request, so the wait before a send (the client throttle) shows as send lateness.
    private var freeSince: [UInt64?]
    private var retries: RetryQueue
    private var retryHeaders: [RateLimitHeaders]
    /// The failed attempt of each slot waiting to retry, recorded as final if the run ends before the retry.
    private var parked: [RequestOutcome?]
    /// When each slot's stream delivered `data: [DONE]` (monotonic ns) while its body is still open; and how many.
    private var doneAt: [UInt64?]
    private var pendingStreamEnds = 0
    private var random: SplitMix64
    private var throttle: ClientThrottle?
    /// No new request may start before this monotonic time (the throttle's wait).
    private var throttledUntil: UInt64 = 0
    /// Open loop: the schedule, its next intended time (ns since run start) and the intended times already due.
    private var schedule: ShardedArrivalSchedule?
    /// Trace replay: the intended times, and the index of the next one to schedule.
    private var traceOffsets: [UInt64]?
    private var traceCursor = 0
    private var nextIntended: UInt64?
    /// When the schedule's time 0 is (ns since the run's start): the first tick, so thread start-up does not make
    /// the first sends late. nil until then.
    private var scheduleOrigin: UInt64?
    private var due: [UInt64] = []
    private var dueHead = 0
    /// Waves: requests of the current wave still in flight or waiting to retry, and when the next wave may start.
    private var waveOutstanding = 0
    private var nextWaveAt: UInt64 = 0
    private var sending = true
    /// Where this thread publishes its counters for live displays (every `LiveFeed.publishIntervalNanos`); nil = off.
    private let live: LiveFeed?
    private let liveIndex: Int
    private var nextPublish: UInt64 = 0
    /// The loop this driver feeds; set before the loop runs (the loop outlives every callback).
    unowned(unsafe) var loop: CurlLoop?

    /// What this thread measured.
    private(set) var recorder = MetricsRecorder()
    /// Stops the run when its first requests all fail in a way load cannot explain (docs/metrics.md).
    private var failFast = FailFastRule()
    /// Transfers cut short by an interrupt; they are not part of the statistics.
    private(set) var abandoned = 0
    /// Open loop: intended sends that never went out because the run stopped first.
    var unsent: Int { due.count - dueHead }

    init(
        plan: LoadPlan, slots slotCount: Int, offset: Int, stride: Int, runStart: UInt64,
        runStartUnixNanos: Int64, stop: StopSignal, log: RequestLogWriter?, live: LiveFeed? = nil
    ) {
        self.live = live
        self.liveIndex = offset
        self.plan = plan
        self.stride = stride
        self.runStart = runStart
        self.runStartUnixNanos = runStartUnixNanos
        self.stop = stop
        self.log = log
        self.nextRequest = offset
        self.slots = (0..<slotCount).map { _ in SlotState(bodyCapacity: 4096) }
        self.freeSlots = SlotQueue(capacity: slotCount)
        self.freeSince = Array(repeating: nil, count: slotCount)
        self.retries = RetryQueue(capacity: slotCount)
        self.retryHeaders = Array(repeating: RateLimitHeaders(), count: slotCount)
        self.parked = Array(repeating: nil, count: slotCount)
        self.doneAt = Array(repeating: nil, count: slotCount)
        self.random = SplitMix64(seed: Self.retrySeed(planSeed: plan.seed, thread: offset, shard: plan.shard))
        if let throttle = plan.throttle {
            // Each of the `stride` load threads keeps its share of the budget, so together they keep all of it.
            let share = 1 / Double(max(stride, 1))
            self.throttle = ClientThrottle(
                requestsPerMinute: throttle.requestsPerMinute.map { $0 * share },
                tokensPerMinute: throttle.tokensPerMinute.map { $0 * share },
                timeScale: throttle.timeScale, burst: throttle.burst.seconds, followServer: throttle.followServer,
                phase: Double(offset) / Double(max(stride, 1)), now: runStart)
        }
        switch plan.model {
        case .open(let profile, let arrival, let seed, _):
            // A shard draws the whole seeded schedule and keeps its arrivals (g ≡ index mod count).
            var schedule = ShardedArrivalSchedule(profile: profile, process: arrival, seed: seed, slice: plan.shard)
            nextIntended = schedule.next()?.time
            self.schedule = schedule
            due.reserveCapacity(4096)
        case .trace(let offsets, _):
            traceOffsets = offsets
            nextIntended = offsets.first
            traceCursor = 1
            due.reserveCapacity(4096)
        case .closed, .waves:
            break
        }
        if plan.anchoredSchedule { scheduleOrigin = 0 }  // `--start-at`: time 0 is the agreed instant
        wantsHeaders = plan.retry.maxAttempts > 1 || plan.throttle != nil
    }

    /// The most intended sends waiting for a slot at once (8 MiB of times); more are dropped and counted.
    static let maxBacklog = 1 << 20

    /// Also waits for streams that sent `[DONE]` but keep their body open: only `tick` ends those.
    var isFinished: Bool { !sending && retries.isEmpty && dueHead == due.count && pendingStreamEnds == 0 }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if stop.isStopped {
            sending = false
            retries.removeAll()
            dueHead = due.count
            if loop.activeCount > 0 { loop.abortAll() }
            return nil
        }
        if live != nil, now >= nextPublish { publish(now: now, inFlight: loop.activeCount) }
        let streamDeadline = endFinishedStreams(loop, now: now)
        let deadline = fill(loop, now: now)
        guard let streamDeadline else { return deadline }
        return min(deadline ?? streamDeadline, streamDeadline)
    }

    /// Hands this thread's counters to the live feed and schedules the next hand-over.
    private func publish(now: UInt64, inFlight: Int) {
        live?.publish(thread: liveIndex, LiveCounters(recorder: recorder, inFlight: inFlight))
        nextPublish = now &+ LiveFeed.publishIntervalNanos
    }

    /// Response headers matter only to retries (`retry-after`) and the client throttle (rate-limit headers).
    let wantsHeaders: Bool

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {
        guard wantsHeaders else { return }
        _ = ResponseHeaderScanner.scan(line, into: &retryHeaders[slot])
    }

    /// Test-only: CPU time burnt in every body callback (ns), to make the loop fall behind on purpose (the
    /// self-check's loop lag test). Set by `LoadRunner.burnNanosPerBody`; 0 in every real run.
    var burnNanosPerBody: UInt64 = 0

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        if burnNanosPerBody > 0 {
            let start = MonotonicClock.now()
            while MonotonicClock.now() &- start < burnNanosPerBody {}
        }
        let complete = slots[slot].receive(
            data, now: now &- runStart, limit: plan.bodyInspectionLimit, recorder: &recorder)
        // A stream is over at `data: [DONE]`. A server closes the body right after it (and the connection is kept
        // for the next request); one that does not gets `streamCloseGraceNanos`, then `tick` ends the transfer.
        if complete, doneAt[slot] == nil {
            doneAt[slot] = now
            pendingStreamEnds += 1
        }
    }

    /// How long a stream's body may stay open after `data: [DONE]` before the transfer is ended as a success.
    static let streamCloseGraceNanos: UInt64 = 50_000_000

    /// Ends the transfers whose stream sent `[DONE]` more than the grace ago; returns the next such deadline.
    private func endFinishedStreams(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        guard pendingStreamEnds > 0 else { return nil }
        var next: UInt64?
        for slot in doneAt.indices {
            guard let done = doneAt[slot] else { continue }
            let deadline = done &+ Self.streamCloseGraceNanos
            if deadline <= now {
                loop.endTransfer(slot: slot)  // completes the slot (and may start its next request) right here
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        return next
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        // A stream ended after its grace ends at its `[DONE]`, not at the cut.
        // The end is when the last bytes were read (the pass's read time), not when the loop got round to it.
        var end = result.endTime != 0 ? min(result.endTime, now) : now
        if let done = doneAt[slot] {
            if now &- min(done, now) >= Self.streamCloseGraceNanos { end = done }
            doneAt[slot] = nil
            pendingStreamEnds -= 1
        }
        if stop.isStopped {
            abandoned += 1
            release(slot, now: now)
            return
        }
        throttle?.observe(retryHeaders[slot], now: now)
        var outcome = slots[slot].outcome(result: result, end: end &- runStart)
        outcome.errorMessage = plan.redactor.redact(outcome.errorMessage)
        outcome.heldForSlot = slots[slot].heldForSlot
        if let errorClass = outcome.errorClass, slots[slot].attempts < plan.retry.maxAttempts,
            plan.retry.shouldRetry(status: outcome.status, errorClass: errorClass, errorCode: slots[slot].lastErrorCode)
        {
            let serverDelay = plan.retry.serverDelay(
                from: retryHeaders[slot], nowUnixSeconds: (runStartUnixNanos + Int64(now &- runStart)) / 1_000_000_000)
            let delay = plan.retry.delay(beforeRetry: slots[slot].attempts, serverDelay: serverDelay, random: &random)
            let due = now.addingReportingOverflow(delay).overflow ? UInt64.max : now + delay
            // The run's end cuts every wait: a retry due after it is not made, and this attempt is the final one.
            if due <= runEnd {
                slots[slot].noteRetry(cause: errorClass, end: outcome.end)
                retryHeaders[slot] = RateLimitHeaders()
                parked[slot] = outcome
                retries.push(due: due, slot: slot)
                return
            }
        }
        finish(slot, outcome, now: now)
        if let loop {
            if live != nil, now >= nextPublish { publish(now: now, inFlight: loop.activeCount) }
            _ = fill(loop, now: now)
        }
    }

    /// The monotonic time at which the run's duration ends (`UInt64.max` without a duration): no wait outlasts it.
    private var runEnd: UInt64 {
        guard let duration = plan.durationNanos else { return .max }
        let (end, overflow) = runStart.addingReportingOverflow(duration)
        return overflow ? .max : end
    }

    /// Records `outcome` as the final attempt of the request in `slot`, logs it and frees the slot.
    private func finish(_ slot: Int, _ outcome: RequestOutcome, now: UInt64) {
        parked[slot] = nil
        recorder.record(outcome)
        if plan.failFast, let reason = failFast.note(outcome) { stop.stop(.hopeless, detail: reason) }
        plan.budget?.settle(reserved: plan.costEstimate[slots[slot].bodyIndex], actual: plan.cost(of: outcome.usage))
        if let log {
            RequestLogLine.append(outcome, runStartUnixNanos: runStartUnixNanos, to: &logBuffer)
            if logBuffer.count >= RequestLogWriter.flushThreshold { log.flush(&logBuffer) }
        }
        if case .waves(_, let pause) = plan.model {
            waveOutstanding -= 1
            if waveOutstanding == 0 { nextWaveAt = now &+ pause }
        }
        release(slot, now: now)
    }

    private var logBuffer: [UInt8] = {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(RequestLogWriter.flushThreshold + 4096)
        return buffer
    }()

    /// Writes what is left of the request log; call after the loop returned.
    func finish() {
        log?.flush(&logBuffer)
        if live != nil { publish(now: MonotonicClock.now(), inFlight: 0) }
    }

    // MARK: - Starting requests

    /// Starts everything that is due at `now`; returns when the driver next needs a tick.
    private func fill(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        while let slot = retries.popDue(now: now) {
            guard admitThrottle(slot: slot, now: now) else {
                if throttledUntil > runEnd, let outcome = parked[slot] {
                    // The throttle's wait outlasts the run: the failed attempt stays the request's final one.
                    finish(slot, outcome, now: now)
                    continue
                }
                retries.push(due: throttledUntil, slot: slot)
                break
            }
            parked[slot] = nil
            slots[slot].beginRetry(actual: now &- runStart)
            loop.start(slot: slot, request: plan.requests[slots[slot].bodyIndex])
        }
        let elapsed = now &- runStart
        updateSending(elapsed: elapsed)
        switch plan.model {
        case .closed(let workers, let ramp):
            // With a ramp, only `allowed` workers may be busy (in flight or backing off) at this moment.
            // A shard keeps its share of the ramp's total at every moment (the shares sum to the total).
            let allowed = ramp.map {
                min(workers, plan.shard.share(of: max(0, Int(min($0.rate(at: Double(elapsed) / 1e9), 1e9).rounded()))))
            } ?? workers
            while sending, slots.count - freeSlots.count < allowed, let slot = freeSlots.first, now >= throttledUntil {
                // A worker's next request is due when its last one ended (a ramp decides when a worker joins).
                let intended = ramp == nil ? min(freeSince[slot] ?? elapsed, elapsed) : elapsed
                guard startNew(on: slot, intended: intended, now: now, loop: loop) else { break }
            }
        case .waves(let size, _):
            if waveOutstanding == 0, now >= nextWaveAt {
                while sending, waveOutstanding < size, let slot = freeSlots.first, now >= throttledUntil {
                    guard startNew(on: slot, intended: elapsed, now: now, loop: loop) else { break }
                    waveOutstanding += 1
                }
            }
        case .open, .trace:
            let origin = scheduleOrigin ?? elapsed
            scheduleOrigin = origin
            while sending, let intended = nextIntended, origin &+ intended <= elapsed {
                if due.count - dueHead < Self.maxBacklog {
                    due.append(origin &+ intended)
                } else {
                    recorder.noteDropped(1)  // the backlog is full: memory stays bounded however long the run
                }
                nextIntended = nextScheduledSend()
                updateSending(elapsed: elapsed)
            }
            let ended = plan.durationNanos.map { elapsed >= $0 } ?? false
            while dueHead < due.count, let slot = freeSlots.first, now >= throttledUntil {
                // After the duration only a slot that was already free by then may send (the send was late for the
                // generator's own reasons); one freed afterwards would extend the run.
                if ended, let duration = plan.durationNanos, (freeSince[slot] ?? 0) > duration { break }
                guard startNew(on: slot, intended: due[dueHead], now: now, loop: loop) else { break }
                dueHead += 1
            }
            if ended, dueHead < due.count {
                // The run ends on time: sends still waiting when the duration is over are dropped and counted, never
                // sent later. A slot free since before the end means the client throttle held them, not the slots.
                let slotFree = freeSlots.first.map { (freeSince[$0] ?? 0) <= (plan.durationNanos ?? 0) } ?? false
                recorder.noteDropped(due.count - dueHead, throttled: slotFree)
                dueHead = due.count
            }
            if dueHead == due.count, dueHead > 0 {
                due.removeAll(keepingCapacity: true)
                dueHead = 0
            } else if dueHead > 4096, dueHead * 2 > due.count {
                due.removeFirst(dueHead)  // a lasting backlog: drop what was sent, amortised O(1) per send
                dueHead = 0
            }
        }
        return nextDeadline(now: now)
    }

    /// Starts request number `nextRequest` on `slot`; false when the throttle or the request budget says no.
    private func startNew(on slot: Int, intended: UInt64, now: UInt64, loop: CurlLoop) -> Bool {
        if let limit = plan.requestLimit, nextRequest >= limit {
            sending = false
            dueHead = due.count
            return false
        }
        // The plan's global request number picks the body, so shards send the prompts an unsharded run would.
        let global = plan.shard.global(nextRequest)
        let bodyIndex = global % plan.requests.count
        if let budget = plan.budget, !budget.reserve(plan.costEstimate[bodyIndex]) {
            sending = false
            dueHead = due.count
            return false
        }
        guard admitThrottle(bodyIndex: bodyIndex, now: now) else {
            plan.budget?.settle(reserved: plan.costEstimate[bodyIndex], actual: 0)
            return false
        }
        freeSlots.removeFirst()
        nextRequest += stride
        slots[slot].begin(
            index: global, bodyIndex: bodyIndex, prompts: plan.promptsPerRequest[bodyIndex],
            estimatedPromptTokens: plan.estimatedPromptTokens[bodyIndex], intended: intended,
            actual: now &- runStart, bytesSent: plan.requests[bodyIndex].bodyCount,
            warmup: intended < plan.warmupNanos, stream: plan.stream)
        slots[slot].heldForSlot = (freeSince[slot] ?? 0) > intended
        retryHeaders[slot] = RateLimitHeaders()
        loop.start(slot: slot, request: plan.requests[bodyIndex])
        return true
    }

    private func admitThrottle(slot: Int, now: UInt64) -> Bool {
        admitThrottle(bodyIndex: slots[slot].bodyIndex, now: now)
    }

    private func admitThrottle(bodyIndex: Int, now: UInt64) -> Bool {
        guard throttle != nil else { return true }
        let wait = throttle?.admit(tokenCost: plan.tokenCost[bodyIndex], now: now) ?? 0
        if wait > 0 { throttledUntil = now &+ wait }
        return wait == 0
    }

    private func release(_ slot: Int, now: UInt64) {
        slots[slot].reset()
        freeSlots.append(slot)
        freeSince[slot] = now &- runStart
    }

    private func updateSending(elapsed: UInt64) {
        guard sending else { return }
        if let duration = plan.durationNanos {
            if plan.isScheduled {
                if nextIntended.map({ $0 >= duration }) ?? true { sending = false }
            } else if elapsed >= duration {
                sending = false
            }
        }
        if let limit = plan.requestLimit, nextRequest >= limit {
            if plan.isScheduled {
                // Count intended sends: stop scheduling once enough are queued or sent.
                if nextRequest + (due.count - dueHead) * stride >= limit { sending = false }
            } else {
                sending = false
            }
        }
        if plan.isScheduled, nextIntended == nil { sending = false }
    }

    /// The intended time after the current one: the arrival schedule's next draw, or the trace's next row.
    private func nextScheduledSend() -> UInt64? {
        guard let offsets = traceOffsets else { return schedule?.next()?.time }
        guard traceCursor < offsets.count else { return nil }
        defer { traceCursor += 1 }
        return offsets[traceCursor]
    }

    /// The earliest of: the next intended send, the next retry, the throttle's wait, the end of the run.
    private func nextDeadline(now: UInt64) -> UInt64? {
        var deadline: UInt64?
        func consider(_ time: UInt64?) {
            guard let time else { return }
            deadline = min(deadline ?? time, time)
        }
        consider(retries.nextDue)
        if throttledUntil > now { consider(throttledUntil) }
        if live != nil { consider(nextPublish) }
        if dueHead < due.count, let duration = plan.durationNanos { consider(runStart &+ duration) }
        if sending {
            if let intended = nextIntended { consider(runStart &+ (scheduleOrigin ?? 0) &+ intended) }
            if let duration = plan.durationNanos { consider(runStart &+ duration) }
            switch plan.model {
            case .closed(_, .some): consider(now &+ 10_000_000)  // follow the worker ramp every 10 ms
            case .waves where nextWaveAt > now: consider(nextWaveAt)
            default: break
            }
        }
        return deadline
    }
}

extension LoadDriver {
    /// The seed of a load thread's retry jitter: the plan's seed, the thread and the shard, so the N shards of a plan
    /// (which share the seed) do not back off in lockstep. Unsharded (shard 0 of 1) it is the plan's seed + thread.
    static func retrySeed(planSeed: UInt64, thread: Int, shard: ShardSlice) -> UInt64 {
        planSeed &+ UInt64(truncatingIfNeeded: thread) &+ UInt64(truncatingIfNeeded: shard.index) &* 0x9E37_79B9_7F4A_7C15
    }
}
