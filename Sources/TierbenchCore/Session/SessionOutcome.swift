/// How a session (a multi-turn conversation) ended: the `outcome` of a `sessions.jsonl` line and the `outcome`
/// label of `tierbench_sessions_total` (docs/sessions.md).
public enum SessionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every planned turn was answered (skipped turns under `on_error: skip_turn` count as done).
    case completed
    /// A turn failed with an error other than 429 and `on_error` stopped the session.
    case abortedError = "aborted_error"
    /// A turn failed with HTTP 429 (retries exhausted) and `on_error` stopped the session.
    case aborted429 = "aborted_429"
    /// The run's end came before the session's last turn.
    case timeout

    /// Position in `allCases`, without searching.
    public var ordinal: Int {
        switch self {
        case .completed: return 0
        case .abortedError: return 1
        case .aborted429: return 2
        case .timeout: return 3
        }
    }
}

/// Sessions counted by outcome in a fixed array: counting never allocates, counters never trap.
public struct SessionOutcomeCounts: Sendable, Hashable {
    private var counts = [Int](repeating: 0, count: SessionOutcome.allCases.count)

    public init() {}

    /// Adds `amount` sessions that ended with `outcome`.
    public mutating func add(_ outcome: SessionOutcome, _ amount: Int = 1) { counts[outcome.ordinal] &+= amount }

    /// Sessions counted for `outcome`.
    public subscript(_ outcome: SessionOutcome) -> Int { counts[outcome.ordinal] }

    /// Sessions ended, all outcomes.
    public var total: Int { counts.reduce(0, &+) }

    /// Adds every count of `other`.
    public mutating func merge(_ other: SessionOutcomeCounts) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
    }
}
