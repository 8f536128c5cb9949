/// The `sessions` block of summary.json (docs/sessions.md, "Figures"; docs/summary.schema.json). Present only when
/// the scenario has `sessions:`.
public struct SessionSummary: Codable, Sendable, Hashable {
    /// Figures of one turn index.
    public struct Turn: Codable, Sendable, Hashable {
        /// The turn index (from 1); with `overflow` the bucket holds every turn above `SessionStats.maxTurnIndex`.
        public var turn: Int
        public var overflow: Bool?
        /// Successful turns of this index.
        public var turns: Int
        /// Mean prompt (context) tokens of those turns.
        public var contextTokensMean: Double
        /// TTFT of those turns (streaming only).
        public var ttftMs: DurationStats?

        enum CodingKeys: String, CodingKey {
            case turn, overflow, turns
            case contextTokensMean = "context_tokens_mean"
            case ttftMs = "ttft_ms"
        }
    }

    /// Sessions started (warmup included) and ended (measured: started after the warmup).
    public var started: Int
    public var ended: Int
    /// Ended sessions by outcome: `completed`, `aborted_error`, `aborted_429`, `timeout`.
    public var outcomes: [String: Int]
    /// Share of ended sessions that completed with every turn within `sessions.slo`.
    public var goodput: Double
    /// The SLO behind `goodput` (ms); absent limits are not checked.
    public var sloTtftMs: Double?
    public var sloLatencyMs: Double?
    public var durationMs: DurationStats
    public var thinkMs: DurationStats
    public var turnsPerSession: CountStats
    public var timePerTurnMs: DurationStats
    public var contextTokensPerTurn: CountStats
    public var byTurn: [Turn]
    /// The most sessions active at once, over the run and in each second from the run's start.
    public var maxActive: Int
    public var activePerSecond: [Int]

    enum CodingKeys: String, CodingKey {
        case started, ended, outcomes, goodput
        case sloTtftMs = "slo_ttft_ms", sloLatencyMs = "slo_latency_ms"
        case durationMs = "duration_ms", thinkMs = "think_ms", turnsPerSession = "turns_per_session"
        case timePerTurnMs = "time_per_turn_ms", contextTokensPerTurn = "context_tokens_per_turn"
        case byTurn = "by_turn", maxActive = "max_active", activePerSecond = "active_per_s"
    }

    public init(_ stats: SessionStats, slo: SessionSLO) {
        started = stats.started
        ended = stats.outcomes.total
        var outcomes: [String: Int] = [:]
        for outcome in SessionOutcome.allCases { outcomes[outcome.rawValue] = stats.outcomes[outcome] }
        self.outcomes = outcomes
        goodput = (stats.goodput * 10_000).rounded() / 10_000
        sloTtftMs = slo.ttft?.milliseconds
        sloLatencyMs = slo.latency?.milliseconds
        durationMs = DurationStats(stats.duration)
        thinkMs = DurationStats(stats.think)
        turnsPerSession = stats.turnsPerSession.stats
        timePerTurnMs = DurationStats(stats.timePerTurn)
        contextTokensPerTurn = stats.contextTokens.stats
        byTurn = stats.contextByTurn.indices.map { index in
            let context = stats.contextByTurn[index]
            let ttft = stats.ttftByTurn[index]
            return Turn(
                turn: index + 1, overflow: index == SessionStats.maxTurnIndex ? true : nil, turns: context.count,
                contextTokensMean: context.stats.mean, ttftMs: ttft.count > 0 ? DurationStats(ttft) : nil)
        }
        maxActive = stats.maxActive
        activePerSecond = stats.activeBySecond
    }

    /// `12 sessions (10 completed · 2 aborted_error) · goodput 83.3 % · 4.0 turns/session · duration p50 … ms`
    public var consoleLine: String {
        let parts = SessionOutcome.allCases.compactMap { outcome -> String? in
            let count = outcomes[outcome.rawValue] ?? 0
            return count > 0 ? "\(count) \(outcome.rawValue)" : nil
        }
        func fixed(_ value: Double) -> String { String(Int((value * 10).rounded())).withDecimal }
        return "\(ended) sessions (\(parts.joined(separator: " · "))) · goodput \(fixed(goodput * 100)) % · "
            + "\(fixed(turnsPerSession.mean)) turns/session · duration p50 \(fixed(durationMs.p50)) / "
            + "p99 \(fixed(durationMs.p99)) ms · max active \(maxActive)"
    }
}

extension String {
    /// "123" → "12.3" (tenths written as an integer).
    fileprivate var withDecimal: String {
        let negative = hasPrefix("-")
        var digits = negative ? String(dropFirst()) : self
        while digits.count < 2 { digits = "0" + digits }
        return (negative ? "-" : "") + digits.dropLast() + "." + digits.suffix(1)
    }
}
