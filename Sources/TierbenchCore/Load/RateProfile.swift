/// A request rate that changes over time in linear steps (k6's ramping arrival rate): start at `startRate`, then each
/// stage moves linearly to its `target` over its `duration`; after the last stage the last target holds.
///
/// Rates are requests per second; times are seconds since the run's start.
public struct RateProfile: Sendable, Equatable {
    /// One linear ramp: reach `target` requests/s after `duration` seconds.
    public struct Stage: Sendable, Equatable {
        public var duration: Double
        public var target: Double
        public init(duration: Double, target: Double) {
            self.duration = duration
            self.target = target
        }
    }

    /// Segment i runs from `starts[i]` with rate `rates[i]` and slope `slopes[i]` (requests/s²).
    private var starts: [Double] = []
    private var rates: [Double] = []
    private var slopes: [Double] = []
    /// Expected arrivals before each segment's start.
    private var cumulativeAtStart: [Double] = []

    /// A constant rate.
    public init(rate: Double) {
        self.init(startRate: rate, stages: [])
    }

    public init(startRate: Double, stages: [Stage]) {
        var time = 0.0
        var rate = startRate
        var total = 0.0
        for stage in stages where stage.duration > 0 {
            let slope = (stage.target - rate) / stage.duration
            starts.append(time)
            rates.append(rate)
            slopes.append(slope)
            cumulativeAtStart.append(total)
            total += rate * stage.duration + slope * stage.duration * stage.duration / 2
            time += stage.duration
            rate = stage.target
        }
        starts.append(time)
        rates.append(rate)
        slopes.append(0)
        cumulativeAtStart.append(total)
    }

    /// The rate at time `t` (requests/s).
    public func rate(at t: Double) -> Double {
        let i = segment(containing: t)
        return rates[i] + slopes[i] * (t - starts[i])
    }

    /// Expected number of arrivals in [0, t]: Λ(t) = ∫₀ᵗ rate.
    public func cumulative(at t: Double) -> Double {
        let i = segment(containing: t)
        let tau = t - starts[i]
        return cumulativeAtStart[i] + rates[i] * tau + slopes[i] * tau * tau / 2
    }

    /// The time t at which Λ(t) = `arrivals`, or nil when the rate has dropped to zero before that.
    public func time(atCumulative arrivals: Double) -> Double? {
        var i = cumulativeAtStart.count - 1
        while i > 0 && cumulativeAtStart[i] > arrivals { i -= 1 }
        let remaining = arrivals - cumulativeAtStart[i]
        let a = rates[i]
        let b = slopes[i]
        let tau: Double
        if abs(b) < 1e-12 {
            guard a > 0 else { return nil }
            tau = remaining / a
        } else {
            let discriminant = a * a + 2 * b * remaining
            guard discriminant >= 0 else { return nil }
            tau = (-a + discriminant.squareRoot()) / b
        }
        return starts[i] + tau
    }

    private func segment(containing t: Double) -> Int {
        var i = starts.count - 1
        while i > 0 && starts[i] > t { i -= 1 }
        return i
    }
}
