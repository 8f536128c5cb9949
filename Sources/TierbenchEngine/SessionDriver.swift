import TierbenchCore
import TierbenchCurl

/// The load logic of a sessions run on one curl loop thread (docs/sessions.md): a `SessionScheduler` says which
/// turn is due; each turn is one chat request whose body is built at send time from its conversation; the reply is
/// captured for the live history; every turn is recorded in the `MetricsRecorder` like any request and in
/// `SessionStats`, and every ended session becomes a `sessions.jsonl` line.
final class SessionDriver: CurlDriver {
    let plan: LoadPlan
    let sessions: SessionPlan
    let runStart: UInt64
    let runStartUnixNanos: Int64
    private let stop: StopSignal
    private let log: RequestLogWriter?
    let sessionLog: RequestLogWriter?
    let live: LiveFeed?
    var nextPublish: UInt64 = 0

    /// Runs on its own clock: ns since `origin`, the first tick (so thread start-up does not make turn 1 late).
    var scheduler: SessionScheduler
    var origin: UInt64?
    var conversations: [Int: SessionConversation] = [:]
    private var slots: [SlotState]
    private var freeSlots: [Int]
    /// Per slot: the turn in flight, its user message, its request (for retries), its body's prompt estimate and
    /// cost estimate, and the response body kept to read the reply from.
    private var turns: [SessionScheduler.DueTurn?]
    private var userMessages: [String]
    private var requests: [PreparedRequest?]
    private var estimates: [Double]
    /// When each slot last became free (ns since the run's start): a turn due before that waited for the slot.
    private var freeSince: [UInt64]
    private var replies: [[UInt8]]
    private var retries: RetryQueue
    private var retryHeaders: [RateLimitHeaders]
    private var parked: [RequestOutcome?]
    var doneAt: [UInt64?]
    var pendingStreamEnds = 0
    private var random: SplitMix64
    private var nextRequest = 0
    var startedSeen = 0
    var liveOutcomes = SessionOutcomeCounts()
    private var failFast = FailFastRule()
    private let captureReplies: Bool
    unowned(unsafe) var loop: CurlLoop?

    /// What this thread measured.
    private(set) var recorder = MetricsRecorder()
    var stats: SessionStats
    private(set) var abandoned = 0

    init(
        plan: LoadPlan, sessions: SessionPlan, runStart: UInt64, runStartUnixNanos: Int64, stop: StopSignal,
        log: RequestLogWriter?, sessionLog: RequestLogWriter?, live: LiveFeed?
    ) {
        self.plan = plan
        self.sessions = sessions
        self.runStart = runStart
        self.runStartUnixNanos = runStartUnixNanos
        self.stop = stop
        self.log = log
        self.sessionLog = sessionLog
        self.live = live
        let count = plan.slotCount
        slots = (0..<count).map { _ in SlotState(bodyCapacity: 4096) }
        freeSlots = Array((0..<count).reversed())
        turns = Array(repeating: nil, count: count)
        userMessages = Array(repeating: "", count: count)
        requests = Array(repeating: nil, count: count)
        estimates = Array(repeating: 0, count: count)
        freeSince = Array(repeating: 0, count: count)
        replies = Array(repeating: [], count: count)
        retries = RetryQueue(capacity: count)
        retryHeaders = Array(repeating: RateLimitHeaders(), count: count)
        parked = Array(repeating: nil, count: count)
        doneAt = Array(repeating: nil, count: count)
        random = SplitMix64(seed: plan.seed)
        captureReplies = sessions.settings.history == .live
        scheduler = SessionScheduler(
            settings: sessions.settings, arrivals: sessions.schedulerArrivals, endNanos: plan.durationNanos,
            turnLimit: plan.requestLimit, fileTurnCounts: sessions.fileTurnCounts, measuredFrom: plan.warmupNanos, shard: plan.shard)
        stats = SessionStats(warmupNanos: plan.warmupNanos)
    }

    var isFinished: Bool { scheduler.isFinished && retries.isEmpty && pendingStreamEnds == 0 }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        if stop.isStopped {
            retries.removeAll()
            if loop.activeCount > 0 { loop.abortAll() }
            scheduler.endAll(at: clock(now))
            drainEnded(now: now)
            return nil
        }
        if live != nil, now >= nextPublish { publish(now: now, inFlight: loop.activeCount) }
        let streamDeadline = endFinishedStreams(loop, now: now)
        let deadline = fill(loop, now: now)
        guard let streamDeadline else { return deadline }
        return min(deadline ?? streamDeadline, streamDeadline)
    }

    /// Response headers matter only to retries (`retry-after`).
    var wantsHeaders: Bool { sessions.retry.maxAttempts > 1 }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {
        guard wantsHeaders else { return }
        _ = ResponseHeaderScanner.scan(line, into: &retryHeaders[slot])
    }

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        if captureReplies {
            let room = SessionReply.maxBodyBytes - replies[slot].count
            if room > 0 { replies[slot].append(contentsOf: data.prefix(room)) }
        }
        let complete = slots[slot].receive(data, now: now &- runStart, limit: plan.bodyInspectionLimit, recorder: &recorder)
        if complete, doneAt[slot] == nil {
            doneAt[slot] = now
            pendingStreamEnds &+= 1
        }
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        // The end is when the last bytes were read (the pass's read time), not when the loop got round to it.
        var end = result.endTime != 0 ? min(result.endTime, now) : now
        if let done = doneAt[slot] {
            if now &- min(done, now) >= LoadDriver.streamCloseGraceNanos { end = done }
            doneAt[slot] = nil
            pendingStreamEnds &-= 1
        }
        if stop.isStopped {
            abandoned &+= 1
            release(slot, now: now)
            return
        }
        var outcome = slots[slot].outcome(result: result, end: end &- runStart)
        outcome.errorMessage = plan.redactor.redact(outcome.errorMessage)
        outcome.heldForSlot = slots[slot].heldForSlot
        let policy = sessions.retry
        var cutByRunEnd = false
        if let errorClass = outcome.errorClass, slots[slot].attempts < policy.maxAttempts,
            policy.shouldRetry(status: outcome.status, errorClass: errorClass, errorCode: slots[slot].lastErrorCode)
        {
            let serverDelay = policy.serverDelay(
                from: retryHeaders[slot], nowUnixSeconds: (runStartUnixNanos + Int64(now &- runStart)) / 1_000_000_000)
            let delay = policy.delay(beforeRetry: slots[slot].attempts, serverDelay: serverDelay, random: &random)
            let due = now.addingReportingOverflow(delay).overflow ? UInt64.max : now + delay
            if due <= runEnd {
                slots[slot].noteRetry(cause: errorClass, end: outcome.end)
                retryHeaders[slot] = RateLimitHeaders()
                replies[slot].removeAll(keepingCapacity: true)
                parked[slot] = outcome
                retries.push(due: due, slot: slot)
                return
            }
            cutByRunEnd = true  // a retry was due after the run's end: the run's end cut the session
        }
        finish(slot, outcome, now: now, cutByRunEnd: cutByRunEnd)
        if let loop {
            if live != nil, now >= nextPublish { publish(now: now, inFlight: loop.activeCount) }
            _ = fill(loop, now: now)
        }
    }

    /// Writes what is left of the logs; call after the loop returned.
    func finish() {
        let now = MonotonicClock.now()
        scheduler.endAll(at: clock(now))
        drainEnded(now: now)
        log?.flush(&logBuffer)
        sessionLog?.flush(&sessionBuffer)
        if live != nil { publish(now: MonotonicClock.now(), inFlight: 0) }
    }

    // MARK: - Turns

    private func fill(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        while let slot = retries.popDue(now: now) {
            guard let request = requests[slot] else { continue }
            parked[slot] = nil
            slots[slot].beginRetry(actual: now &- runStart)
            loop.start(slot: slot, request: request)
        }
        // With --start-at the schedule starts at the run's origin, the common start time of every shard.
        if origin == nil { beginSchedule(at: plan.anchoredSchedule ? 0 : now &- runStart) }
        let elapsed = clock(now)
        scheduler.advance(to: elapsed)
        while let slot = freeSlots.last, var due = scheduler.popDue(now: elapsed) {
            freeSlots.removeLast()
            due.intended &+= origin ?? 0
            due.sessionStart &+= origin ?? 0
            start(due, on: slot, now: now, loop: loop)
        }
        drainEnded(now: now)
        var deadline = retries.nextDue
        func consider(_ time: UInt64?) {
            guard let time else { return }
            deadline = min(deadline ?? time, time)
        }
        if freeSlots.isEmpty {
            // Every slot is busy: a completion calls `fill` again; only the run's end must be noticed without one.
            if plan.durationNanos != nil, elapsed < scheduleEnd { consider(runEnd) }
        } else if let wake = scheduler.nextWakeup {
            consider(runStart &+ (origin ?? 0) &+ max(wake, elapsed &+ 1))
        }
        if live != nil { consider(nextPublish) }
        return deadline
    }

    private func start(_ due: SessionScheduler.DueTurn, on slot: Int, now: UInt64, loop: CurlLoop) {
        let id = SessionRecord.id(due.session)
        let conversation = conversations[due.session] ?? sessions.conversation(for: due.session)
        conversations[due.session] = conversation
        let user = sessions.userMessage(session: due.session, turn: due.turn)
        let messages = conversation.messages(turn: due.turn, user: user)
        let built: (PreparedRequest, RequestBody)
        do {
            built = try sessions.request(messages: messages, sessionID: id)
        } catch {
            stop.stop(.hopeless, detail: error.description)
            freeSlots.append(slot)
            return
        }
        let (request, body) = built
        let estimate = plan.price.map {
            $0.usd(TokenUsage(prompt: body.estimatedPromptTokens, completion: body.maxTokens ?? 0))
        } ?? 0
        if let budget = plan.budget, !budget.reserve(estimate) {
            // The budget ends the run: this turn is taken back, turns in flight end their sessions when they finish.
            freeSlots.append(slot)
            scheduler.cancel(session: due.session, at: clock(now))
            return
        }
        estimates[slot] = estimate
        turns[slot] = due
        userMessages[slot] = user
        requests[slot] = request
        replies[slot].removeAll(keepingCapacity: true)
        retryHeaders[slot] = RateLimitHeaders()
        slots[slot].begin(
            index: plan.shard.global(nextRequest), bodyIndex: 0, prompts: 1, estimatedPromptTokens: body.estimatedPromptTokens,
            intended: due.intended, actual: now &- runStart, bytesSent: body.bytes.count,
            warmup: due.intended < plan.warmupNanos, stream: plan.stream)
        slots[slot].heldForSlot = freeSince[slot] > due.intended
        nextRequest &+= 1
        loop.start(slot: slot, request: request)
    }

    private func finish(_ slot: Int, _ outcome: RequestOutcome, now: UInt64, cutByRunEnd: Bool = false) {
        parked[slot] = nil
        guard let due = turns[slot] else {
            release(slot, now: now)
            return
        }
        var outcome = outcome
        outcome.session = due.session
        outcome.turn = due.turn
        recorder.record(outcome)
        if plan.failFast, let reason = failFast.note(outcome) { stop.stop(.hopeless, detail: reason) }
        let cost = plan.cost(of: outcome.usage)
        plan.budget?.settle(reserved: estimates[slot], actual: cost)
        if let log {
            RequestLogLine.append(outcome, runStartUnixNanos: runStartUnixNanos, to: &logBuffer)
            if logBuffer.count >= RequestLogWriter.flushThreshold { log.flush(&logBuffer) }
        }
        var result = SessionTurnResult(
            succeeded: outcome.succeeded, status: outcome.status, latencyNanos: outcome.requestLatency,
            ttftNanos: outcome.timeToFirstToken,
            promptTokens: outcome.usage?.prompt ?? 0,
            completionTokens: outcome.usage?.completion ?? 0, cachedTokens: outcome.usage?.cachedPrompt ?? 0,
            costUSD: cost, failedAttempts: outcome.retryCauses.count + (outcome.succeeded ? 0 : 1))
        // A turn counts in the session figures when its session does: started at or after the warmup's end.
        result.warmup = due.sessionStart < plan.warmupNanos
        result.cutByRunEnd = cutByRunEnd
        stats.recordTurn(due.turn, result)
        if outcome.succeeded, captureReplies {
            let reply = SessionReply.text(body: replies[slot], stream: plan.stream)
            conversations[due.session]?.answered(user: userMessages[slot], reply: reply)
        }
        // The next turn's think time, or the session's end, counts from the turn's measured end (`[DONE]` for a
        // stream held open), not from when the transfer closed.
        scheduler.finish(session: due.session, result: result, now: clock(runStart &+ outcome.end))
        release(slot, now: now)
        drainEnded(now: now)
    }

    private func release(_ slot: Int, now: UInt64) {
        slots[slot].reset()
        turns[slot] = nil
        requests[slot] = nil
        userMessages[slot] = ""
        replies[slot].removeAll(keepingCapacity: true)
        freeSlots.append(slot)
        freeSince[slot] = now &- runStart
    }

    private var logBuffer: [UInt8] = []
    var sessionBuffer: [UInt8] = []
}
