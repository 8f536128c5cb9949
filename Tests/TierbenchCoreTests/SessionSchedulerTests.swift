import Testing

@testable import TierbenchCore

/// `SessionScheduler` on a simulated clock: every time is written out, nothing sleeps.
@Suite struct SessionSchedulerTests {
    static let ms: UInt64 = 1_000_000
    static let s: UInt64 = 1_000_000_000

    static func settings(turns: Double, think: SessionDistribution, onError: SessionSettings.ErrorPolicy = .abortSession)
        -> SessionSettings
    {
        var settings = SessionSettings()
        settings.turns = .constant(turns)
        settings.thinkTime = think
        settings.onError = onError
        return settings
    }

    static func ok(_ latency: UInt64) -> SessionTurnResult {
        SessionTurnResult(succeeded: true, status: 200, latencyNanos: latency, promptTokens: 10, completionTokens: 5)
    }

    @Test("think time comes only before turns ≥ 2: turn k is due at the end of turn k−1 plus its draw")
    func thinkTimeOnlyBeforeLaterTurns() {
        // One user, 3 turns per session, lognormal think time (mean 2 s); every turn takes 100 ms.
        var scheduler = SessionScheduler(
            settings: Self.settings(turns: 3, think: .init(kind: .lognormal, mean: 2, stddev: 1)),
            arrivals: .users(1), endNanos: nil, turnLimit: 9)
        var now: UInt64 = 0
        var lastEnd: [Int: UInt64] = [:]
        var thinkBySession: [Int: UInt64] = [:]
        var sent = 0
        while sent < 9 {
            guard let due = scheduler.popDue(now: now) else {
                // Nothing due: jump the clock to the next wake-up, and check nothing was due a nanosecond before it.
                guard let wake = scheduler.nextWakeup else { break }
                #expect(wake > now)
                #expect(scheduler.popDue(now: wake - 1) == nil)
                now = wake
                continue
            }
            sent += 1
            if due.turn == 1 {
                #expect(due.think == 0)
                #expect(due.intended == (lastEnd[due.session - 1] ?? 0))  // a user's next session starts at once
            } else {
                #expect(due.think > 0)
                #expect(due.intended == (lastEnd[due.session] ?? 0) + due.think)
            }
            #expect(due.intended == now)
            thinkBySession[due.session, default: 0] += due.think
            now += 100 * Self.ms
            scheduler.finish(session: due.session, result: Self.ok(100 * Self.ms), now: now)
            lastEnd[due.session] = now
        }
        let ended = scheduler.takeEnded()
        #expect(ended.count == 3)
        for record in ended {
            #expect(record.outcome == .completed)
            #expect(record.turnsDone == 3)
            #expect(record.activeNanos == 300 * Self.ms)
            #expect(record.thinkNanos == thinkBySession[record.number])
            #expect(record.durationNanos == record.activeNanos + record.thinkNanos)
        }
    }

    @Test("users: N never has more than N sessions active; each user starts its next session when one ends")
    func usersCapActiveSessions() {
        var settings = SessionSettings()
        settings.turns = .init(kind: .lognormal, mean: 3, stddev: 2, max: 8)
        settings.thinkTime = .init(kind: .exponential, mean: 0.5)
        var scheduler = SessionScheduler(settings: settings, arrivals: .users(4), endNanos: 30 * Self.s)
        // A simulated server: each turn takes 20…120 ms; ten slots, more than the users.
        var inFlight: [(end: UInt64, session: Int)] = []
        var now: UInt64 = 0
        var random = SplitMix64(seed: 7)
        var peak = 0
        var steps = 0
        while !scheduler.isFinished, steps < 100_000 {
            steps += 1
            while inFlight.count < 10, let due = scheduler.popDue(now: now) {
                inFlight.append((now + (20 + random.next() % 100) * Self.ms, due.session))
            }
            #expect(scheduler.activeCount <= 4)
            peak = max(peak, scheduler.activeCount)
            let nextEnd = inFlight.map(\.end).min()
            let wake = [nextEnd, scheduler.nextWakeup].compactMap { $0 }.min()
            guard let wake else { break }
            now = max(now, wake)
            for item in inFlight where item.end <= now {
                scheduler.finish(session: item.session, result: Self.ok(20 * Self.ms), now: item.end)
            }
            inFlight.removeAll { $0.end <= now }
        }
        #expect(scheduler.isFinished)
        #expect(peak == 4)
        let ended = scheduler.takeEnded()
        #expect(ended.count == scheduler.started)
        #expect(ended.count > 20)
        // At any instant at most 4 sessions overlap: check the written intervals, not just the counter.
        var events: [(time: UInt64, change: Int)] = []
        for record in ended {
            events.append((record.start, 1))
            events.append((record.end, -1))
        }
        // Ends before starts at the same instant: a user's next session starts when its last one ends.
        events.sort { left, right in left.time != right.time ? left.time < right.time : left.change < right.change }
        var active = 0
        for event in events {
            active += event.change
            #expect(active <= 4)
        }
        // Sessions still going at the end time out: thinking ones at 30 s, one in flight when its turn ends.
        for record in ended where record.outcome == .timeout { #expect(record.end >= 30 * Self.s) }
        #expect(ended.filter { $0.outcome == .timeout && $0.end == 30 * Self.s }.count >= 1)
    }

    @Test("open loop: each arrival of the schedule starts a session with turn 1 due at the arrival")
    func openLoopArrivals() {
        var schedule = ArrivalSchedule(profile: RateProfile(startRate: 5, stages: []), process: .poisson, seed: 3)
        var arrivals: [UInt64] = []
        while let next = schedule.next(), next < 4 * Self.s { arrivals.append(next) }
        var scheduler = SessionScheduler(
            settings: Self.settings(turns: 1, think: .constant(0)),
            arrivals: .open(ArrivalSchedule(profile: RateProfile(startRate: 5, stages: []), process: .poisson, seed: 3)),
            endNanos: 4 * Self.s)
        var starts: [UInt64] = []
        var now: UInt64 = 0
        while let wake = scheduler.nextWakeup {
            now = wake
            while let due = scheduler.popDue(now: now) {
                starts.append(due.intended)
                scheduler.finish(session: due.session, result: Self.ok(Self.ms), now: now + Self.ms)
            }
        }
        #expect(starts == arrivals)
        #expect(scheduler.started == arrivals.count)
        #expect(scheduler.isFinished)
    }

    @Test("abort_session ends the session at the failed turn: no later turn, aborted_error or aborted_429")
    func abortSessionStopsLaterTurns() {
        for (status, outcome) in [(500, SessionOutcome.abortedError), (429, .aborted429)] {
            var scheduler = SessionScheduler(
                settings: Self.settings(turns: 5, think: .constant(1)), arrivals: .users(1), endNanos: 60 * Self.s,
                turnLimit: 2)
            let first = scheduler.popDue(now: 0)
            #expect(first?.turn == 1)
            scheduler.finish(session: 1, result: Self.ok(10 * Self.ms), now: 10 * Self.ms)
            #expect(scheduler.popDue(now: Self.s) == nil)  // thinking until 1.01 s
            let second = scheduler.popDue(now: Self.s + 10 * Self.ms)
            #expect(second?.turn == 2 && second?.session == 1)
            let failed = SessionTurnResult(succeeded: false, status: status, latencyNanos: 5 * Self.ms, failedAttempts: 3)
            scheduler.finish(session: 1, result: failed, now: Self.s + 15 * Self.ms)
            let ended = scheduler.takeEnded()
            #expect(ended.count == 1)
            #expect(ended.first?.outcome == outcome)
            #expect(ended.first?.turnsDone == 2)
            #expect(ended.first?.turnsFailed == 1)
            #expect(ended.first?.turnsPlanned == 5)
            #expect(ended.first?.errors == 3)
            #expect(ended.first?.sloMet == false)
            #expect(ended.first?.end == Self.s + 15 * Self.ms)
            // Session 1 never sends turn 3; the turn limit (2) ended the run.
            #expect(scheduler.popDue(now: 100 * Self.s) == nil)
        }
    }

    @Test("skip_turn goes on after a failed turn and completes the session")
    func skipTurnContinues() {
        var scheduler = SessionScheduler(
            settings: Self.settings(turns: 3, think: .constant(0), onError: .skipTurn), arrivals: .users(1),
            endNanos: nil, turnLimit: 3)
        var turnsSeen: [Int] = []
        var now: UInt64 = 0
        while let due = scheduler.popDue(now: now) {
            turnsSeen.append(due.turn)
            now += Self.ms
            let result = due.turn == 2
                ? SessionTurnResult(succeeded: false, status: 503, latencyNanos: Self.ms, failedAttempts: 1)
                : Self.ok(Self.ms)
            scheduler.finish(session: due.session, result: result, now: now)
        }
        #expect(turnsSeen == [1, 2, 3])
        let record = scheduler.takeEnded().first
        #expect(record?.outcome == .completed)
        #expect(record?.turnsFailed == 1)
        #expect(record?.sloMet == false)
    }

    @Test("at the run's end a thinking session times out at the end; one in flight ends when its turn does")
    func timeoutAtTheEnd() {
        var scheduler = SessionScheduler(
            settings: Self.settings(turns: 2, think: .constant(5)), arrivals: .users(2), endNanos: 3 * Self.s)
        let a = scheduler.popDue(now: 0)
        let b = scheduler.popDue(now: 0)
        #expect(a?.session == 1 && b?.session == 2)
        scheduler.finish(session: 1, result: Self.ok(Self.ms), now: Self.ms)  // thinks until 5.001 s: past the end
        #expect(scheduler.popDue(now: 3 * Self.s) == nil)
        // Session 1 timed out at the end (3 s); session 2's turn is still in flight.
        var ended = scheduler.takeEnded()
        #expect(ended.map(\.number) == [1])
        #expect(ended.first?.outcome == .timeout)
        #expect(ended.first?.end == 3 * Self.s)
        #expect(ended.first?.thinkNanos == 0)  // turn 2 was never sent
        #expect(!scheduler.isFinished)
        scheduler.finish(session: 2, result: Self.ok(4 * Self.s), now: 4 * Self.s)
        ended = scheduler.takeEnded()
        #expect(ended.map(\.number) == [2])
        #expect(ended.first?.outcome == .timeout)
        #expect(ended.first?.end == 4 * Self.s)
        #expect(scheduler.isFinished)
        #expect(scheduler.started == 2)  // no new session after the end
    }

    @Test("a file's conversations set the planned turns, capped by turns.max")
    func fileTurnCounts() {
        var settings = Self.settings(turns: 4, think: .constant(0))
        settings.turns.max = 3
        var scheduler = SessionScheduler(settings: settings, arrivals: .users(3), endNanos: nil, fileTurnCounts: [1, 5])
        var planned: [Int: Int] = [:]
        while let due = scheduler.popDue(now: 0) { planned[due.session] = due.planned }
        #expect(planned == [1: 1, 2: 3, 3: 1])
        #expect(scheduler.fileConversation(of: 3) == 0)
    }
}

extension SessionSchedulerTests {
    @Test("a refused turn is taken back: its think time is not counted, it times out; turns in flight end their sessions")
    func cancelTakesBackARefusedTurn() {
        // Three users, 2 turns, constant think 1 s; every turn takes 100 ms.
        var scheduler = SessionScheduler(
            settings: Self.settings(turns: 2, think: .constant(1)), arrivals: .users(3), endNanos: nil)
        // 0 ms: turn 1 of s1, s2, s3 sent. 100 ms: s1 and s2 finish (turn 2 due at 1100 ms); s3 stays in flight.
        for session in 1...3 { #expect(scheduler.popDue(now: 0)?.session == session) }
        scheduler.finish(session: 1, result: Self.ok(100 * Self.ms), now: 100 * Self.ms)
        scheduler.finish(session: 2, result: Self.ok(100 * Self.ms), now: 100 * Self.ms)
        // 1100 ms: s1's turn 2 is handed out, then refused by the budget.
        let refused = scheduler.popDue(now: 1_100 * Self.ms)
        #expect(refused?.session == 1 && refused?.turn == 2 && refused?.think == Self.s)
        scheduler.cancel(session: 1, at: 1_100 * Self.ms)
        // Nothing more is handed out; s1 and the waiting s2 timed out at 1100 ms; s3 is still active.
        #expect(scheduler.popDue(now: 5 * Self.s) == nil)
        #expect(scheduler.turnsSent == 3)
        var ended = scheduler.takeEnded()
        #expect(ended.map(\.number).sorted() == [1, 2])
        for record in ended {
            #expect(record.outcome == .timeout && record.end == 1_100 * Self.ms)
            #expect(record.turnsDone == 1 && record.thinkNanos == 0)  // s1's refused turn 2 adds no think time
        }
        #expect(scheduler.activeCount == 1 && !scheduler.isFinished)
        // s3's turn 1 ends at 1500 ms: its session ends then (timeout: turn 2 never comes), with its turn counted.
        scheduler.finish(session: 3, result: Self.ok(1_500 * Self.ms), now: 1_500 * Self.ms)
        ended = scheduler.takeEnded()
        #expect(ended.count == 1)
        #expect(ended.first?.number == 3 && ended.first?.outcome == .timeout && ended.first?.turnsDone == 1)
        #expect(ended.first?.end == 1_500 * Self.ms)
        #expect(scheduler.isFinished && scheduler.activeCount == 0)
    }

    @Test("the ready queue hands out the earliest due first, the lower session number first on equal times")
    func readyQueueOrder() {
        var queue = SessionReadyQueue()
        var random = SplitMix64(seed: 7)
        var expected: [SessionReadyQueue.Entry] = []
        for session in 1...500 {
            let due = random.next() % 40  // many equal times
            queue.push(due: due, session: session)
            expected.append(.init(due: due, session: session))
        }
        expected.sort { $0.due != $1.due ? $0.due < $1.due : $0.session < $1.session }
        var popped: [SessionReadyQueue.Entry] = []
        // Interleave: pop half, push some more later ones, pop the rest.
        for _ in 0..<250 { if let entry = queue.pop() { popped.append(entry) } }
        #expect(popped == Array(expected.prefix(250)))
        queue.push(due: 100, session: 502)
        queue.push(due: 100, session: 501)
        expected.append(contentsOf: [.init(due: 100, session: 501), .init(due: 100, session: 502)])
        #expect(queue.first == expected[250])
        #expect(queue.drain() == expected.dropFirst(250).map(\.session))
        #expect(queue.isEmpty && queue.pop() == nil)
    }
}

extension SessionSchedulerTests {
    @Test("a failed turn cut by the run's end (its retry due after it) ends the session as timeout, under every on_error")
    func retryCutByTheRunEnd() {
        for onError in [SessionSettings.ErrorPolicy.abortSession, .retry, .skipTurn] {
            var scheduler = SessionScheduler(
                settings: Self.settings(turns: 3, think: .constant(0), onError: onError), arrivals: .users(1),
                endNanos: Self.s)
            #expect(scheduler.popDue(now: 0)?.turn == 1)
            var failed = SessionTurnResult(succeeded: false, status: 500, latencyNanos: 10 * Self.ms, failedAttempts: 1)
            failed.cutByRunEnd = true
            scheduler.finish(session: 1, result: failed, now: 10 * Self.ms)
            let ended = scheduler.takeEnded()
            #expect(ended.map(\.outcome) == [.timeout], "\(onError)")
            #expect(ended.first?.turnsFailed == 1 && ended.first?.end == 10 * Self.ms)
            // Its user does not start another session: the run is ending.
            #expect(scheduler.activeCount == 0)
        }
    }
}
