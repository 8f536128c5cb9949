/// Which turn of which session is due when: the pure state machine behind a sessions run (docs/sessions.md).
///
/// Times are ns since the run's start, passed in by the caller (the engine's monotonic clock, or a test's simulated
/// one); nothing here sleeps. The caller asks `popDue(now:)` for turns to send while it has a free slot, reports each
/// finished turn with `finish(session:result:now:)`, and takes ended sessions from `takeEnded()`.
///
/// - `users: N`: N sessions start at 0; when one ends (before the run's end) its user starts a new one at once, so
///   never more than N are active.
/// - Open loop: each arrival of the schedule starts a session whose turn 1 is due at the arrival time.
/// - Turn 1 is due when the session starts; turn k ≥ 2 is due at the end of turn k−1 plus a seeded think time.
/// - Sessions are numbered globally (`shard`, docs/sessions.md "Sharded runs"): this shard's k-th user-started
///   session is number `shard.global(k)` + 1; an open loop keeps the arrivals g ≡ index (mod count) of the global
///   schedule as numbers g + 1. Each session draws its turn count and think times from its own stream
///   (`SessionRandom`), seeded by its number, so session n is the same on every shard and in the unsharded run.
/// - At the run's end (`endNanos`) nothing new starts; a session not in flight ends as `timeout` at the end; one in
///   flight ends when its turn finishes (`completed` if that was its last turn, else `timeout`).
public struct SessionScheduler: Sendable {
    /// How sessions start.
    public enum Arrivals: Sendable {
        case users(Int)
        case open(ArrivalSchedule)
    }

    /// A turn to send now.
    public struct DueTurn: Sendable, Equatable {
        /// The session's global number (from 1).
        public var session: Int
        /// The turn's index in its session (from 1).
        public var turn: Int
        /// When the turn was due (ns since the run's start).
        public var intended: UInt64
        /// The think time drawn before it (0 for turn 1).
        public var think: UInt64
        /// The session's planned turns.
        public var planned: Int
        /// When the session started (its turn 1 was due), ns since the run's start.
        public var sessionStart: UInt64
    }

    private struct Live: Sendable {
        var record: SessionRecord
        var nextTurn = 1
        var due: UInt64
        var think: UInt64 = 0
        var inFlight = false
        var user: Int?
        /// The session's own draws: its turn count first, then its think times.
        var random: SplitMix64
    }

    public let settings: SessionSettings
    private var arrivals: Arrivals
    /// The open loop's share of the global arrival schedule (nil for users).
    private var schedule: ShardedArrivalSchedule?
    /// This run's slice of a sharded plan: which global session numbers it owns.
    public let shard: ShardSlice
    private let endNanos: UInt64?
    private let turnLimit: Int?
    private let fileTurnCounts: [Int]
    private var live: [Int: Live] = [:]
    /// Sessions waiting for their next turn, earliest due first (due, number).
    private var ready = SessionReadyQueue()
    private var ended: [SessionRecord] = []
    private var nextArrival: (index: Int, time: UInt64)?
    /// User-started sessions so far on this shard (the local k of global number `shard.global(k)` + 1).
    private var nextLocal = 0
    private var closed = false
    /// Sessions started so far.
    public private(set) var started = 0
    /// Sessions that start at or after this time are measured (not warmup): `startedMeasured` counts them.
    public let measuredFrom: UInt64
    /// Sessions started at or after `measuredFrom`.
    public private(set) var startedMeasured = 0
    /// Turns handed out by `popDue`.
    public private(set) var turnsSent = 0

    /// - Parameters:
    ///   - endNanos: The run's duration (ns); nil = no time limit.
    ///   - turnLimit: Most turns in all (`load.requests`); nil = none.
    ///   - fileTurnCounts: With `sessions.file`, the user turns of each conversation; session n replays conversation
    ///     (n − 1) mod count. Empty for synthetic sessions.
    ///   - measuredFrom: The warmup's end: sessions starting before it are warmup (`startedMeasured`).
    ///   - shard: This run's slice; `.users(n)` are then this shard's users, and `.open` the global schedule.
    public init(
        settings: SessionSettings, arrivals: Arrivals, endNanos: UInt64?, turnLimit: Int? = nil,
        fileTurnCounts: [Int] = [], measuredFrom: UInt64 = 0, shard: ShardSlice = .whole
    ) {
        self.shard = shard
        self.measuredFrom = measuredFrom
        self.settings = settings
        self.arrivals = arrivals
        self.endNanos = endNanos
        self.turnLimit = turnLimit
        self.fileTurnCounts = fileTurnCounts
        switch arrivals {
        case .users(let count):
            for user in 0..<max(0, count) { startSession(at: 0, user: user) }
        case .open(let global):
            var schedule = ShardedArrivalSchedule(global, slice: shard)
            nextArrival = schedule.next()
            self.schedule = schedule
        }
    }

    /// Sessions started and not yet ended.
    public var activeCount: Int { live.count }

    /// No session is active and none will start.
    public var isFinished: Bool { live.isEmpty && (closed || noMoreArrivals) }

    private var noMoreArrivals: Bool {
        if case .open = arrivals { return nextArrival == nil }
        return false
    }

    /// The file conversation (index) session `number` replays; nil for synthetic sessions.
    public func fileConversation(of number: Int) -> Int? {
        fileTurnCounts.isEmpty ? nil : max(0, number - 1) % fileTurnCounts.count
    }

    /// The earliest turn due at or before `now`, marked in flight; nil when none is.
    public mutating func popDue(now: UInt64) -> DueTurn? {
        advance(to: now)
        guard !closed, let first = ready.first, first.due <= now, var session = live[first.session] else { return nil }
        _ = ready.pop()
        session.inFlight = true
        session.record.thinkNanos &+= session.think
        let turn = DueTurn(
            session: first.session, turn: session.nextTurn, intended: session.due, think: session.think,
            planned: session.record.turnsPlanned, sessionStart: session.record.start)
        live[first.session] = session
        turnsSent &+= 1
        if let turnLimit, turnsSent >= turnLimit { close(at: now) }
        return turn
    }

    /// Records the end of the in-flight turn of `number` and decides the session's next step.
    public mutating func finish(session number: Int, result: SessionTurnResult, now: UInt64) {
        guard var session = live[number], session.inFlight else { return }
        session.inFlight = false
        var record = session.record
        record.turnsDone &+= 1
        record.activeNanos &+= result.latencyNanos
        record.promptTokens &+= result.promptTokens
        record.completionTokens &+= result.completionTokens
        record.cachedTokens &+= result.cachedTokens
        record.costUSD += result.costUSD
        record.errors &+= result.failedAttempts
        let met = settings.slo.met(succeeded: result.succeeded, ttftNanos: result.ttftNanos, latencyNanos: result.latencyNanos)
        if !met { record.sloMet = false }
        session.record = record
        if !result.succeeded {
            session.record.turnsFailed &+= 1
            if result.cutByRunEnd {
                end(number, session, outcome: .timeout, at: now)
                return
            }
            if settings.onError != .skipTurn {
                session.record.sloMet = false
                end(number, session, outcome: result.status == 429 ? .aborted429 : .abortedError, at: now)
                return
            }
        }
        session.nextTurn += 1
        if session.nextTurn > session.record.turnsPlanned {
            end(number, session, outcome: .completed, at: now)
            return
        }
        if closed {
            end(number, session, outcome: .timeout, at: now)
            return
        }
        let thinkSeconds = settings.thinkTime.sample(&session.random)
        session.think = UInt64(min(thinkSeconds, 86_400) * 1e9)
        session.due = now &+ session.think
        live[number] = session
        enqueue(due: session.due, session: number)
    }

    /// The time the caller should next call `popDue` even if no turn finishes: the next due turn, arrival or end.
    public var nextWakeup: UInt64? {
        guard !closed else { return nil }
        var earliest = ready.first?.due
        if let arrival = nextArrival?.time { earliest = min(earliest ?? arrival, arrival) }
        if let endNanos { earliest = min(earliest ?? endNanos, endNanos) }
        return earliest
    }

    /// Sessions that ended since the last call, in the order they ended.
    public mutating func takeEnded() -> [SessionRecord] {
        defer { ended.removeAll(keepingCapacity: true) }
        return ended
    }

    /// Ends the run at `now`: nothing new starts, sessions not in flight end as `timeout` at `now`.
    public mutating func close(at now: UInt64) {
        guard !closed else { return }
        closed = true
        nextArrival = nil
        let waiting = ready.drain()
        for number in waiting {
            if let session = live[number] { end(number, session, outcome: .timeout, at: now) }
        }
    }

    /// Takes back the turn of `number` that `popDue` handed out but that was not sent (the budget refused it), and
    /// ends the run at `now`: the turn's think time is not counted, the session ends as `timeout` at `now`, sessions
    /// waiting end as `timeout` (`close(at:)`), and sessions with a turn in flight end when that turn finishes.
    public mutating func cancel(session number: Int, at now: UInt64) {
        close(at: now)
        guard var session = live[number], session.inFlight else { return }
        session.inFlight = false
        session.record.thinkNanos &-= min(session.think, session.record.thinkNanos)
        turnsSent &-= 1
        end(number, session, outcome: .timeout, at: now)
    }

    /// Ends every session still active, in flight or not, as `timeout` at `now` (an interrupted run).
    public mutating func endAll(at now: UInt64) {
        close(at: now)
        for number in live.keys.sorted() {
            if let session = live[number] { end(number, session, outcome: .timeout, at: now) }
        }
    }

    // MARK: - Internals

    /// Starts the open-loop sessions that arrived by `now` and ends the run when `now` reached its end. `popDue`
    /// does this too; call it when no slot is free to ask for a turn.
    public mutating func advance(to now: UInt64) {
        guard !closed else { return }
        if var schedule {
            while let arrival = nextArrival, arrival.time <= now {
                if let endNanos, arrival.time >= endNanos {
                    nextArrival = nil
                    break
                }
                startSession(at: arrival.time, number: arrival.index &+ 1, user: nil)
                nextArrival = schedule.next()
            }
            self.schedule = schedule
        }
        if let endNanos, now >= endNanos { close(at: endNanos) }
    }

    /// Starts a user's next session: this shard's next global number.
    private mutating func startSession(at time: UInt64, user: Int) {
        let global = shard.global(nextLocal)
        nextLocal &+= 1
        startSession(at: time, number: global == .max ? .max : global + 1, user: user)
    }

    private mutating func startSession(at time: UInt64, number: Int, user: Int?) {
        var random = SessionRandom.stream(seed: settings.seed, session: number)
        started &+= 1
        if time >= measuredFrom { startedMeasured &+= 1 }
        let cap = settings.turnCap
        let planned: Int
        if let conversation = fileConversation(of: number) {
            planned = max(1, min(fileTurnCounts[conversation], cap))
        } else {
            planned = settings.turns.sampleInt(&random, lower: 1, upper: cap)
        }
        live[number] = Live(
            record: SessionRecord(number: number, turnsPlanned: planned, start: time), due: time, user: user,
            random: random)
        enqueue(due: time, session: number)
    }

    private mutating func end(_ number: Int, _ session: Live, outcome: SessionOutcome, at now: UInt64) {
        var record = session.record
        record.outcome = outcome
        record.end = max(now, record.start)
        if outcome != .completed { record.sloMet = false }
        live[number] = nil
        ended.append(record)
        if let user = session.user, !closed, outcome != .timeout { startSession(at: now, user: user) }
    }

    private mutating func enqueue(due: UInt64, session: Int) {
        ready.push(due: due, session: session)
    }
}
