import TierbenchCore

/// The clocks of a `SessionDriver`: the scheduler runs on its own clock, ns since `origin` (the first tick), so
/// thread start-up does not make turn 1 late; the run's duration still ends at the same monotonic time.
extension SessionDriver {
    /// The run's duration on the scheduler's clock (`UInt64.max` without one).
    var scheduleEnd: UInt64 {
        guard let duration = plan.durationNanos else { return .max }
        return duration &- min(duration, origin ?? 0)
    }

    /// The scheduler's time at monotonic `now`.
    func clock(_ now: UInt64) -> UInt64 {
        let elapsed = now &- runStart
        return elapsed &- min(origin ?? 0, elapsed)
    }

    /// Starts the schedule at `elapsed` (ns since the run's start): the run's duration still ends at the same time.
    func beginSchedule(at elapsed: UInt64) {
        origin = elapsed
        let end = plan.durationNanos.map { $0 &- min($0, elapsed) }
        scheduler = SessionScheduler(
            settings: sessions.settings, arrivals: sessions.schedulerArrivals, endNanos: end,
            turnLimit: plan.requestLimit, fileTurnCounts: sessions.fileTurnCounts,
            measuredFrom: plan.warmupNanos &- min(plan.warmupNanos, elapsed), shard: plan.shard)
    }

    var runEnd: UInt64 {
        guard let duration = plan.durationNanos else { return .max }
        let (end, overflow) = runStart.addingReportingOverflow(duration)
        return overflow ? .max : end
    }
}
