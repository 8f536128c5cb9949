/// One session (conversation) as it ended: one line of `sessions.jsonl` (docs/sessions.md). Times are ns since the
/// run's start; the line writes them in milliseconds and as ISO-8601 UTC.
public struct SessionRecord: Sendable, Equatable {
    /// The session's number, from 1; its id is `s-000001`.
    public var number: Int
    public var outcome: SessionOutcome = .completed
    /// Turns the session planned (drawn, or the file conversation's user turns, capped by `turns.max`).
    public var turnsPlanned: Int
    /// Turns sent and finished (succeeded or failed after their retries).
    public var turnsDone = 0
    /// Of `turnsDone`, those that failed.
    public var turnsFailed = 0
    /// When turn 1 was due (intended), and when the session ended (its last turn's end, or the run's end on timeout).
    public var start: UInt64
    public var end: UInt64 = 0
    /// Σ turn latency (first attempt's start to final end, backoff included).
    public var activeNanos: UInt64 = 0
    /// Σ think time drawn before the turns 2…n that were sent.
    public var thinkNanos: UInt64 = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var cachedTokens = 0
    public var costUSD = 0.0
    /// Failed attempts, retried ones included.
    public var errors = 0
    /// Every sent turn met `sessions.slo` and the session completed.
    public var sloMet = true
    /// The session started during the warmup (left out of the session figures; `"warmup": true` in its line).
    public var warmup = false

    public init(number: Int, turnsPlanned: Int, start: UInt64) {
        self.number = number
        self.turnsPlanned = turnsPlanned
        self.start = start
    }

    /// `s-` and the number in at least six digits.
    public var id: String { Self.id(number) }

    public static func id(_ number: Int) -> String {
        let digits = String(number)
        return "s-" + String(repeating: "0", count: Swift.max(0, 6 - digits.count)) + digits
    }

    /// end − start.
    public var durationNanos: UInt64 { end &- Swift.min(start, end) }

    /// The `sessions.jsonl` line (no trailing newline); keys in the documented order.
    /// - Parameter runStartUnixNanos: Wall-clock time (Unix ns) of the run's origin, to label `start` and `end`.
    public func jsonLine(runStartUnixNanos: Int64) -> String {
        func millis(_ nanos: UInt64) -> JSONValue { .double((Double(nanos) / 1_000).rounded() / 1_000) }
        func stamp(_ nanos: UInt64) -> JSONValue {
            .string(UTCTimestamp.iso8601(unixNanos: runStartUnixNanos &+ Int64(clamping: nanos)))
        }
        var members: [JSONValue.Member] = [
            .init("session_id", .string(id)),
            .init("outcome", .string(outcome.rawValue)),
            .init("turns_planned", .int(turnsPlanned)),
            .init("turns_done", .int(turnsDone)),
            .init("turns_failed", .int(turnsFailed)),
            .init("start", stamp(start)),
            .init("end", stamp(end)),
            .init("start_ms", millis(start)),
            .init("duration_ms", millis(durationNanos)),
            .init("active_ms", millis(activeNanos)),
            .init("think_ms", millis(thinkNanos)),
            .init("prompt_tokens", .int(promptTokens)),
            .init("completion_tokens", .int(completionTokens)),
            .init("cached_tokens", .int(cachedTokens)),
            .init("cost_usd", .double((costUSD * 1e9).rounded() / 1e9)),
            .init("errors", .int(errors)),
            .init("slo_met", .bool(sloMet)),
        ]
        if warmup { members.append(.init("warmup", .bool(true))) }
        return JSONValue.object(members).jsonText
    }
}
