/// Waits between polls and retries: exponential growth with jitter, capped, and never shorter than what the server
/// asked for with `retry-after` / `retry-after-ms` (itself capped, so one answer cannot stall the client forever).
public struct BatchBackoff: Sendable, Equatable {
    /// The first wait, seconds.
    public var initial: Double
    /// Growth per attempt.
    public var multiplier: Double
    /// Longest wait the growth reaches, seconds.
    public var cap: Double
    /// Fraction of a wait taken off at random (0.5 = the wait is drawn from [d/2, d]).
    public var jitter: Double
    /// Longest wait a server's `retry-after` may impose, seconds.
    public var maxServerDelay: Double

    public init(initial: Double, multiplier: Double = 2, cap: Double, jitter: Double = 0.5, maxServerDelay: Double = 600) {
        self.initial = max(0, initial)
        self.multiplier = max(1, multiplier)
        self.cap = max(self.initial, cap)
        self.jitter = min(max(jitter, 0), 1)
        self.maxServerDelay = max(0, maxServerDelay)
    }

    /// The wait before attempt `attempt` + 1 (attempt 0 = after the first try), seconds.
    /// - Parameters:
    ///   - random: a uniform draw in [0, 1) for the jitter.
    ///   - retryAfter: the server's requested wait, seconds, if it sent one.
    public func delay(attempt: Int, random: Double, retryAfter: Double? = nil) -> Double {
        var grown = initial
        var step = 0
        while step < attempt && grown < cap {
            grown *= multiplier
            step += 1
        }
        let base = min(grown, cap)
        let jittered = base * (1 - jitter * min(max(random, 0), 1))
        guard let retryAfter, retryAfter.isFinite, retryAfter > 0 else { return jittered }
        return max(jittered, min(retryAfter, maxServerDelay))
    }
}
