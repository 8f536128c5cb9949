/// One continuously refilling bucket (a token bucket / GCRA) in real units, as reference §3.3 models OpenAI's limits.
///
/// Capacity = `limit`; refill rate = `limit / window`. `used = limit − floor(level)` and `remaining = floor(level)`;
/// the time until full again is `used × window / limit`. The level is tracked in real time units: the caller
/// advances it by wall-clock time × `timeScale`.
struct RateBucket: Sendable {
    /// The limit per window.
    let limit: Int
    /// The window in real seconds: 60 for per-minute, 86 400 for per-day limits.
    let window: Double
    /// Current fill level in [0, limit]; starts at `initialFill × limit` (full by default).
    private(set) var level: Double

    /// - Parameter initialFill: the starting level as a fraction of the limit, clamped to [0, 1].
    init(limit: Int, window: Double, initialFill: Double = 1) {
        self.limit = max(0, limit)
        self.window = window
        self.level = Double(self.limit) * min(1, max(0, initialFill))
    }

    /// Refills for `realSeconds` of (scaled) time.
    mutating func refill(realSeconds: Double) {
        guard realSeconds > 0, limit > 0 else { return }
        level = min(Double(limit), level + realSeconds * Double(limit) / window)
    }

    /// Whole units left: `floor(level)`.
    var remaining: Int { Int(level.rounded(.down)) }

    /// Units in use: `limit − remaining`.
    var used: Int { limit - remaining }

    /// Real seconds until the bucket is full: `used × window / limit`.
    var secondsUntilFull: Double { limit > 0 ? Double(used) * window / Double(limit) : 0 }

    /// Whether `cost` fits now: `used + cost ≤ limit`.
    func admits(_ cost: Int) -> Bool { used + cost <= limit }

    /// Real seconds until `cost` would fit: `(used + cost − limit) × window / limit` (0 if it fits).
    func secondsUntilAdmits(_ cost: Int) -> Double {
        guard limit > 0 else { return .infinity }
        return max(0, Double(used + cost - limit) * window / Double(limit))
    }

    /// Takes `cost` out of the bucket (the level may not go below zero).
    mutating func consume(_ cost: Int) {
        level = max(0, level - Double(cost))
    }

    /// Gives `amount` back (correcting a reservation to actual usage), capped at the limit.
    mutating func refund(_ amount: Int) {
        level = min(Double(limit), level + Double(amount))
    }
}
