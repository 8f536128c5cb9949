/// One finished request, as the load thread hands it to the recorder and the request log.
///
/// Every time is monotonic nanoseconds since the run's start (`MonotonicClock` minus the run's origin).
public struct RequestOutcome: Sendable {
    /// Sequence number of the request within the run (0-based, in send order).
    public var index: Int
    /// When the schedule wanted the request sent (ns since run start). Equals `actualStart` in a closed loop.
    public var intendedStart: UInt64
    /// When the final attempt was actually handed to the transport (ns since run start).
    public var actualStart: UInt64
    /// When the first attempt was handed to the transport (ns since run start); equals `actualStart` without retries.
    public var firstStart: UInt64
    /// When the last response byte arrived or the transfer failed (ns since run start).
    public var end: UInt64
    /// HTTP status of the final attempt; 0 when no HTTP response arrived.
    public var status: Int
    /// Why the request failed; nil for a success.
    public var errorClass: ErrorClass?
    /// Human-readable failure detail (API error message or curl's message); nil for a success.
    public var errorMessage: String?
    /// Prompts the request carried (batch size; 1 for chat).
    public var prompts: Int
    /// Token usage parsed from the response; nil when the response had none.
    public var usage: TokenUsage?
    /// Request bytes sent (body plus headers as the transport counts them).
    public var bytesSent: Int
    /// Response bytes received (body).
    public var bytesReceived: Int
    /// libcurl's phase timings of the final attempt.
    public var timings: PhaseTimings
    /// Streaming: arrival of the first content chunk (ns since run start); nil when not streaming or none arrived.
    public var firstTokenAt: UInt64?
    /// Streaming: arrival of the last content chunk (ns since run start); nil when not streaming or none arrived.
    public var lastTokenAt: UInt64?
    /// Streaming: number of SSE chunks that carried content; 0 when not streaming.
    public var outputChunks: Int
    /// Attempts made (1 without retries).
    public var attempts: Int
    /// Why each retried attempt failed, in order (`attempts − 1` entries; empty without retries).
    public var retryCauses: [ErrorClass]
    /// Time spent waiting between attempts in ns, as measured: Σ (start of attempt k+1 − end of attempt k).
    public var backoff: UInt64
    /// Started before the warmup ended: logged, but excluded from every statistic.
    public var warmup: Bool
    /// Open loop: the send waited for a free slot (its slot was freed after the intended time), so its lateness is
    /// the concurrency limit's, not the generator's.
    public var heldForSlot = false
    /// With `sessions:`: the session's number (its id is `s-000001`) and the turn's index in it, both from 1;
    /// 0 = not part of a session.
    public var session = 0
    public var turn = 0

    public init(
        index: Int, intendedStart: UInt64, actualStart: UInt64, end: UInt64, status: Int,
        errorClass: ErrorClass? = nil, errorMessage: String? = nil, prompts: Int = 1, usage: TokenUsage? = nil,
        bytesSent: Int = 0, bytesReceived: Int = 0, timings: PhaseTimings = PhaseTimings(),
        firstTokenAt: UInt64? = nil, lastTokenAt: UInt64? = nil, outputChunks: Int = 0,
        attempts: Int = 1, warmup: Bool = false, firstStart: UInt64? = nil, retryCauses: [ErrorClass] = [],
        backoff: UInt64 = 0
    ) {
        self.index = index
        self.intendedStart = intendedStart
        self.actualStart = actualStart
        self.firstStart = firstStart ?? actualStart
        self.end = end
        self.status = status
        self.errorClass = errorClass
        self.errorMessage = errorMessage
        self.prompts = prompts
        self.usage = usage
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.timings = timings
        self.firstTokenAt = firstTokenAt
        self.lastTokenAt = lastTokenAt
        self.outputChunks = outputChunks
        self.attempts = attempts
        self.warmup = warmup
        self.retryCauses = retryCauses
        self.backoff = backoff
    }

    /// Whether the request succeeded (no error class).
    @inlinable public var succeeded: Bool { errorClass == nil }

    /// Service time of the final attempt in ns: `end − actualStart` (what the server and network took).
    @inlinable public var serviceTime: UInt64 { end &- min(actualStart, end) }

    /// Response time in ns: `end − intendedStart` (what a user arriving on schedule waited).
    @inlinable public var responseTime: UInt64 { end &- min(intendedStart, end) }

    /// Latency of the whole request in ns, retries and backoff included: `end − firstStart`.
    @inlinable public var requestLatency: UInt64 { end &- min(firstStart, end) }

    /// Send lateness in ns: `firstStart − intendedStart` (how late the generator sent the first attempt; 0 in a
    /// closed loop). Retries and backoff are not lateness.
    @inlinable public var sendLateness: UInt64 { firstStart &- min(intendedStart, firstStart) }

    /// Streaming time to first token in ns: `firstTokenAt − actualStart`; nil when no content chunk arrived.
    @inlinable public var timeToFirstToken: UInt64? {
        guard let first = firstTokenAt else { return nil }
        return first &- min(actualStart, first)
    }

    /// Streaming time per output token in ns: `(end − firstTokenAt) / (completion tokens − 1)`.
    ///
    /// Completion tokens come from `usage`, else from `outputChunks`; nil with fewer than 2 tokens or no stream.
    @inlinable public var timePerOutputToken: UInt64? {
        guard let first = firstTokenAt else { return nil }
        let tokens = usage?.completion ?? outputChunks
        guard tokens >= 2 else { return nil }
        return (end &- min(first, end)) / UInt64(tokens - 1)
    }
}
