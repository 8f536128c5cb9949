/// The intended send times of an open-loop run, generated one at a time.
///
/// Arrivals are drawn in "operational time" with unit rate and mapped through the rate profile's cumulative rate
/// (time rescaling), so a ramp keeps the chosen arrival process's shape while its rate changes.
public struct ArrivalSchedule: Sendable {
    private let profile: RateProfile
    private let process: ArrivalProcess
    private var random: SplitMix64
    /// Expected arrivals so far (operational time).
    private var operational = 0.0

    public init(profile: RateProfile, process: ArrivalProcess, seed: UInt64) {
        self.profile = profile
        self.process = process
        self.random = SplitMix64(seed: seed)
    }

    /// The next intended send time in nanoseconds since the run's start (the first is at 0), or nil when the rate has
    /// fallen to zero for good.
    public mutating func next() -> UInt64? {
        let current = operational
        operational += process.nextGap(rate: 1, random: &random)
        guard let seconds = profile.time(atCumulative: current), seconds.isFinite, seconds >= 0 else {
            return nil
        }
        return UInt64((seconds * 1e9).rounded())
    }
}
