/// One shard's part of an open-loop schedule: every shard draws the same seeded global `ArrivalSchedule` and keeps
/// arrivals g ≡ index (mod count), so the union of the shards' intended sends is the unsharded schedule exactly —
/// same times, same global numbers — for any arrival process or rate profile.
public struct ShardedArrivalSchedule: Sendable {
    private var schedule: ArrivalSchedule
    private let slice: ShardSlice
    /// The global number of the next arrival the schedule will draw.
    private var nextGlobal = 0

    public init(profile: RateProfile, process: ArrivalProcess, seed: UInt64, slice: ShardSlice) {
        self.schedule = ArrivalSchedule(profile: profile, process: process, seed: seed)
        self.slice = slice
    }

    /// Shard `slice`'s part of `schedule` (a fresh one: its first draw is global arrival 0).
    public init(_ schedule: ArrivalSchedule, slice: ShardSlice) {
        self.schedule = schedule
        self.slice = slice
    }

    /// This shard's next arrival: its global number and intended send time (ns since the run's start), or nil when
    /// the rate has fallen to zero for good.
    public mutating func next() -> (index: Int, time: UInt64)? {
        while let time = schedule.next() {
            let global = nextGlobal
            nextGlobal &+= 1
            if global % slice.count == slice.index { return (global, time) }
        }
        return nil
    }
}
