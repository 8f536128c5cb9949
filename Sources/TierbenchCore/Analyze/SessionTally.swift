/// The session figures of `sessions.jsonl` rows, summed in bounded memory.
struct SessionTally: Sendable {
    /// Upper bounds (s) of the session-duration bins; the last bin is open (≥ 3600 s).
    static let durationBinsS: [Double] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600]
    /// Turn counts up to this one are counted value by value.
    static let exactTurns = 1_000
    static let maxOutcomes = 16

    var sessions = 0
    var byOutcome: [String: Int] = [:]
    var duration = DurationHistogram()
    /// Sessions per duration bin: `durationBinsS.count + 1` entries, bin k holds `[bound(k−1), bound(k))`.
    var durationBins = Array(repeating: 0, count: SessionTally.durationBinsS.count + 1)
    var turnsDone = CountDistribution(exactLimit: SessionTally.exactTurns)
    var turnsPlanned = CountDistribution(exactLimit: SessionTally.exactTurns)
    var active = DurationHistogram()
    /// Think time per gap between turns: `think_ms / (turns_done − 1)` of sessions with at least 2 turns done.
    var thinkPerGap = DurationHistogram()
    var promptTokens = 0
    var completionTokens = 0
    var cachedTokens = 0
    var costUSD = 0.0
    var errors = 0
    var sloKnown = 0
    var sloMet = 0
    /// Earliest and latest session start (ms from its run's start; files overlaid from their starts).
    var firstStartMs: Double?
    var lastStartMs: Double?

    /// Reads and adds a `sessions.jsonl` row; returns the session's start (ms from the run's start), if given.
    mutating func add(_ bytes: UnsafeRawBufferPointer, _ scanner: FlatJSONScanner) throws(RequestRow.Bad) -> (Double?, Bool) {
        let fields = RequestRow.Fields(bytes: bytes, scanner: scanner)
        guard let outcome = try fields.text("outcome"), !outcome.isEmpty else { throw RequestRow.Bad(reason: "no outcome") }
        guard let done = try fields.whole("turns_done", max: 1_000_000) else { throw RequestRow.Bad(reason: "no turns_done") }
        guard let durationMs = try fields.duration("duration_ms") else { throw RequestRow.Bad(reason: "no duration_ms") }
        let planned = try fields.whole("turns_planned", max: 1_000_000)
        let activeMs = try fields.duration("active_ms")
        let thinkMs = try fields.duration("think_ms")
        let start = try fields.duration("start_ms")
        let prompt = try fields.whole("prompt_tokens", max: RequestRow.maxTokens) ?? 0
        let completion = try fields.whole("completion_tokens", max: RequestRow.maxTokens) ?? 0
        let cached = try fields.whole("cached_tokens", max: RequestRow.maxTokens) ?? 0
        let errorCount = try fields.whole("errors", max: 1_000_000) ?? 0
        var cost = 0.0
        if let member = scanner.member(bytes, "cost_usd"), member.kind != .null {
            guard let value = FlatJSONScanner.number(bytes, member), value >= 0, value <= 1e9 else {
                throw RequestRow.Bad(reason: "cost_usd is not a number 0…1e9")
            }
            cost = value
        }
        let slo = try fields.bool("slo_met")

        sessions &+= 1
        if let start {
            firstStartMs = min(firstStartMs ?? start, start)
            lastStartMs = max(lastStartMs ?? start, start)
        }
        let key = byOutcome[outcome] != nil || byOutcome.count < Self.maxOutcomes ? outcome : "other"
        byOutcome[key, default: 0] &+= 1
        duration.record(nanoseconds: RequestTally.nanos(durationMs))
        let seconds = durationMs / 1_000
        durationBins[Self.durationBinsS.firstIndex { seconds < $0 } ?? Self.durationBinsS.count] &+= 1
        turnsDone.record(done)
        if let planned { turnsPlanned.record(planned) }
        if let activeMs { active.record(nanoseconds: RequestTally.nanos(activeMs)) }
        if let thinkMs, done >= 2 { thinkPerGap.record(nanoseconds: RequestTally.nanos(thinkMs / Double(done - 1))) }
        promptTokens &+= prompt
        completionTokens &+= completion
        cachedTokens &+= cached
        costUSD += cost
        errors &+= errorCount
        if let slo {
            sloKnown &+= 1
            if slo { sloMet &+= 1 }
        }
        return (start, outcome != "completed")
    }
}
