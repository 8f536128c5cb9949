/// `sessions.slo`: a turn meets the SLO when it succeeded and (when set) its TTFT and latency are within these
/// limits; a session meets it when every turn it sent did and it completed (docs/sessions.md).
public struct SessionSLO: Sendable, Equatable, Codable {
    /// Largest time to first token (streaming) of a turn; nil = not checked.
    public var ttft: TimeSpan?
    /// Largest latency (first attempt's start to the final end) of a turn; nil = not checked.
    public var latency: TimeSpan?

    public init(ttft: TimeSpan? = nil, latency: TimeSpan? = nil) {
        self.ttft = ttft
        self.latency = latency
    }

    /// Whether a turn with these figures meets the SLO. A TTFT limit with no TTFT measured (not streaming) is not
    /// checked.
    public func met(succeeded: Bool, ttftNanos: UInt64?, latencyNanos: UInt64) -> Bool {
        guard succeeded else { return false }
        if let limit = latency, Int64(clamping: latencyNanos) > limit.nanoseconds { return false }
        if let limit = ttft, let ttftNanos, Int64(clamping: ttftNanos) > limit.nanoseconds { return false }
        return true
    }
}
