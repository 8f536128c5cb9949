/// What one finished turn of a session reports to `SessionScheduler.finish` and `SessionStats.recordTurn`.
public struct SessionTurnResult: Sendable, Equatable {
    /// Whether the turn's final attempt succeeded.
    public var succeeded: Bool
    /// The final attempt's HTTP status (0 for a transport error); 429 aborts as `aborted_429`.
    public var status: Int
    /// First attempt's start to final end (backoff included), ns.
    public var latencyNanos: UInt64
    /// Time to first token of the final attempt (streaming only), ns.
    public var ttftNanos: UInt64?
    /// The turn's context: the prompt tokens the server reported (0 when it reported no usage, e.g. a failed turn).
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedTokens: Int
    public var costUSD: Double
    /// Failed attempts of this turn (retried ones and a failed final one).
    public var failedAttempts: Int
    /// The turn belongs to a session that started during the warmup (excluded from `SessionStats`'s turn figures).
    public var warmup = false
    /// The turn failed with a retry left, but the retry would have been due after the run's end: the session ends
    /// as `timeout` (the run's end cut it), not aborted.
    public var cutByRunEnd = false

    public init(
        succeeded: Bool, status: Int, latencyNanos: UInt64, ttftNanos: UInt64? = nil, promptTokens: Int = 0,
        completionTokens: Int = 0, cachedTokens: Int = 0, costUSD: Double = 0, failedAttempts: Int = 0
    ) {
        self.succeeded = succeeded
        self.status = status
        self.latencyNanos = latencyNanos
        self.ttftNanos = ttftNanos
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.costUSD = costUSD
        self.failedAttempts = failedAttempts
    }
}
