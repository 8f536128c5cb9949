/// The `sessions:` section of a scenario: multi-turn conversations (docs/sessions.md). With it, every request is one
/// turn of a session, and the load (`load.users` or an open-loop `load.rate`) starts sessions instead of requests.
public struct SessionSettings: Sendable, Equatable, Codable {
    /// Where conversations come from.
    public enum Source: Sendable, Equatable, Codable {
        /// User messages of `userTokens` synthetic tokens, `turns` turns per session.
        case synthetic
        /// Conversations read from a file (ShareGPT `conversations` or `{session_id, turns[]}`; JSONL or a JSON array).
        case file(String)
    }

    /// What earlier turns a request carries.
    public enum History: String, Sendable, Equatable, Codable, CaseIterable {
        /// Earlier user messages and the replies the server really gave.
        case live
        /// The file's transcript (its recorded assistant messages) up to this turn.
        case recorded
    }

    /// What a failed turn (after the `retry:` policy's attempts) does to its session.
    public enum ErrorPolicy: String, Sendable, Equatable, Codable, CaseIterable {
        /// The session ends at once: `aborted_429` when the turn failed with 429, else `aborted_error`.
        case abortSession = "abort_session"
        /// The turn is retried per `retry:` (3 attempts when the scenario has no `retry:`); if it still fails the
        /// session ends as with `abort_session`.
        case retry
        /// The failed turn is left out of the history and the session goes on with its next turn.
        case skipTurn = "skip_turn"
    }

    public var source: Source = .synthetic
    /// Turns per session (synthetic source; a file's conversations have their own count, capped by `max`).
    public var turns = SessionDistribution(kind: .lognormal, mean: 4, stddev: 2, max: 20)
    /// Tokens of each synthetic user message.
    public var userTokens = SessionDistribution(kind: .normal, mean: 60, stddev: 20)
    /// Think time in seconds before turns 2…n (never before turn 1); default none.
    public var thinkTime = SessionDistribution.constant(0)
    public var history: History = .live
    public var onError: ErrorPolicy = .abortSession
    /// A header carrying the session id on every turn (session affinity), e.g. `X-Session-ID`; nil = none.
    public var header: String?
    /// The per-turn service level a session must keep on every turn to count towards session goodput.
    public var slo = SessionSLO()
    /// Seed of the turn counts, message lengths and think times.
    public var seed: UInt64 = 1

    /// Most turns a session may plan (`turns.max` is checked against it).
    public static let maxTurns = 1_000
    /// Largest `user_tokens` value (mean, stddev or max).
    public static let maxUserTokens = 100_000

    public init() {}

    /// The largest number of turns a session can plan.
    public var turnCap: Int {
        guard let max = turns.max, max.isFinite else { return Self.maxTurns }
        return Swift.max(1, Swift.min(Self.maxTurns, Int(max)))
    }
}
