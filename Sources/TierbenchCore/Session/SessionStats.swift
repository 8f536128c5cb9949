/// The session figures of a run, aggregated as sessions and turns end (docs/sessions.md, "Figures"). Mergeable like
/// `MetricsRecorder`: each load thread keeps its own and the runner merges them.
///
/// Sessions that started during the warmup and all their turns are left out (`record.start < warmupNanos`; the
/// caller marks each turn of such a session `warmup`), so every figure covers the same sessions.
public struct SessionStats: Sendable {
    /// TTFT by turn index covers turns 1…`maxTurnIndex`; later turns go to one overflow bucket.
    public static let maxTurnIndex = 64
    /// The active-sessions series covers this many seconds from the run's start (a day).
    public static let maxSeconds = 86_400

    /// Sessions that ended, by outcome.
    public private(set) var outcomes = SessionOutcomeCounts()
    /// Of the ended sessions, those whose every turn met the SLO and that completed.
    public private(set) var sloMet = 0
    /// Session duration: end − start.
    public private(set) var duration = DurationHistogram()
    /// Σ think time per session.
    public private(set) var think = DurationHistogram()
    /// Turns done per ended session.
    public private(set) var turnsPerSession = CountDistribution()
    /// Latency of every turn (first attempt's start to final end).
    public private(set) var timePerTurn = DurationHistogram()
    /// Prompt (context) tokens of every turn that reported usage.
    public private(set) var contextTokens = CountDistribution()
    /// TTFT by turn index: element i is turn i + 1; the last element holds turns above `maxTurnIndex`.
    public private(set) var ttftByTurn: [DurationHistogram] = []
    /// Prompt tokens by turn index, same layout as `ttftByTurn`.
    public private(set) var contextByTurn: [CountDistribution] = []
    /// The most sessions active at once in each second since the run's start: a second holds the level carried
    /// into it (unless an event falls on its first instant) and every level noted in it.
    public private(set) var activeBySecond: [Int] = []
    /// The most sessions active at once over the run.
    public private(set) var maxActive = 0
    /// Sessions started (warmup included).
    public private(set) var started = 0
    /// The active level the last `noteActive` left (what the seconds after it hold until the next event).
    private var lastLevel = 0
    /// Requests intended before this time (ns since the run's start) are warmup.
    public var warmupNanos: UInt64 = 0

    public init(warmupNanos: UInt64 = 0) {
        self.warmupNanos = warmupNanos
    }

    /// Records a finished turn (turn index from 1); a turn of a warmup session (`result.warmup`) is left out.
    public mutating func recordTurn(_ turn: Int, _ result: SessionTurnResult) {
        guard !result.warmup else { return }
        timePerTurn.record(nanoseconds: result.latencyNanos)
        let bucket = min(max(turn, 1), Self.maxTurnIndex + 1) - 1
        grow(to: bucket + 1)
        if result.succeeded {
            contextTokens.record(result.promptTokens)
            contextByTurn[bucket].record(result.promptTokens)
            if let ttft = result.ttftNanos { ttftByTurn[bucket].record(nanoseconds: ttft) }
        }
    }

    /// Records an ended session.
    public mutating func recordSession(_ record: SessionRecord) {
        guard record.start >= warmupNanos else { return }
        outcomes.add(record.outcome)
        if record.sloMet { sloMet &+= 1 }
        duration.record(nanoseconds: record.durationNanos)
        think.record(nanoseconds: record.thinkNanos)
        turnsPerSession.record(record.turnsDone)
    }

    /// Notes `active` sessions at `nanos` since the run's start, and that `newlyStarted` sessions started.
    public mutating func noteActive(_ active: Int, at nanos: UInt64, newlyStarted: Int = 0) {
        started &+= newlyStarted
        maxActive = max(maxActive, active)
        let second = Int(min(nanos / 1_000_000_000, UInt64(Self.maxSeconds - 1)))
        if activeBySecond.count <= second {
            // Seconds without an event hold the level the last event left; the new second starts at that level too
            // unless the event falls exactly on its first instant.
            activeBySecond.append(contentsOf: repeatElement(lastLevel, count: second - activeBySecond.count))
            let carried = nanos % 1_000_000_000 == 0 && nanos / 1_000_000_000 == UInt64(second) ? 0 : lastLevel
            activeBySecond.append(max(carried, active))
        } else {
            activeBySecond[second] = max(activeBySecond[second], active)
        }
        lastLevel = active
    }

    /// The most sessions active at once in each of `count` buckets `bucketSeconds` wide from the run's start (the
    /// run's time series): the max of `activeBySecond` over the seconds each bucket covers.
    public func activePerBucket(bucketSeconds: Double, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let width = max(1, Int(bucketSeconds.rounded()))
        var buckets = [Int](repeating: 0, count: count)
        for (second, active) in activeBySecond.enumerated() {
            let bucket = min(second / width, count - 1)
            buckets[bucket] = max(buckets[bucket], active)
        }
        return buckets
    }

    /// Share of ended (measured) sessions that met the SLO; 0 with none.
    public var goodput: Double {
        let total = outcomes.total
        return total > 0 ? Double(sloMet) / Double(total) : 0
    }

    /// Adds everything `other` recorded.
    public mutating func merge(_ other: SessionStats) {
        outcomes.merge(other.outcomes)
        sloMet &+= other.sloMet
        duration.merge(other.duration)
        think.merge(other.think)
        turnsPerSession.merge(other.turnsPerSession)
        timePerTurn.merge(other.timePerTurn)
        contextTokens.merge(other.contextTokens)
        grow(to: other.ttftByTurn.count)
        for index in other.ttftByTurn.indices {
            ttftByTurn[index].merge(other.ttftByTurn[index])
            contextByTurn[index].merge(other.contextByTurn[index])
        }
        // Threads hold disjoint sessions: add their series, each shorter one extended with the level it ended at.
        let length = max(activeBySecond.count, other.activeBySecond.count)
        var theirs = other.activeBySecond
        theirs.append(contentsOf: repeatElement(other.lastLevel, count: length - theirs.count))
        activeBySecond.append(contentsOf: repeatElement(lastLevel, count: length - activeBySecond.count))
        for index in theirs.indices { activeBySecond[index] &+= theirs[index] }
        lastLevel &+= other.lastLevel
        maxActive = max(maxActive, other.maxActive, activeBySecond.max() ?? 0)
        started &+= other.started
    }

    private mutating func grow(to count: Int) {
        while ttftByTurn.count < count {
            ttftByTurn.append(DurationHistogram())
            contextByTurn.append(CountDistribution())
        }
    }
}
