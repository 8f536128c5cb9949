import TierbenchCore

extension LoadPlan {
    /// This plan cut to `slice` (k6's striping, docs/scenarios.md "Sharded runs"): workers, wave size and
    /// `max_in_flight` split with floor plus one for the first remainder shards (they sum to the total); the request
    /// budget split the same way (shard I sends global requests I, I + N, …); a trace keeps records k ≡ I (mod N)
    /// at their own send offsets; an open loop keeps the arrivals g ≡ I (mod N) of the global schedule (in
    /// `LoadDriver`), and sessions by global session number. Duration and warmup window are unchanged; client throttle and `budget.max_usd` are divided by N.
    /// - Throws: `EngineError.invalidScenario` when some shard would get no workers, slots, requests or trace records
    ///   (every shard refuses alike). With sessions, `load.users` is split like workers; session arrivals are striped
    ///   like an open loop's (in `SessionScheduler`), and sessions are numbered globally.
    func sharded(_ slice: ShardSlice, path: String) throws(EngineError) -> LoadPlan {
        guard slice.count > 1 else { return self }
        var plan = self
        plan.shard = slice
        func share(_ total: Int, _ what: String, _ key: String) throws(EngineError) -> Int {
            // Every shard refuses alike (not only the ones left empty), so no partial set of shards runs.
            guard total >= slice.count else {
                throw EngineError.invalidScenario(
                    "\(path): --shard \(slice.description): \(slice.count) shards but only \(total) \(what) "
                        + "(\(key)), so a shard would get none. Use at most \(total) shards or raise \(key)")
            }
            return slice.share(of: total)
        }
        switch model {
        case .closed(let workers, let ramp):
            if var sessions {
                // A closed loop of users: each shard runs its share of the users (docs/sessions.md "Sharded runs").
                let users = try share(workers, "users", "load.users")
                sessions.arrivals = .users(users)
                plan.sessions = sessions
                plan.model = .closed(workers: users, ramp: ramp)
                break
            }
            plan.model = .closed(workers: try share(workers, "workers", "load.max_workers"), ramp: ramp)
        case .waves(let size, let pause):
            plan.model = .waves(size: try share(size, "requests per wave", "load.waves.wave_size"), pause: pause)
        case .open(let profile, let arrival, let seed, let maxInFlight):
            plan.model = .open(
                profile: profile, arrival: arrival, seed: seed,
                maxInFlight: try share(maxInFlight, "in-flight slots", "load.max_in_flight"))
        case .trace(let offsets, let maxInFlight):
            let kept = slice.stripe(offsets)
            guard offsets.count >= slice.count else {
                throw EngineError.invalidScenario(
                    "\(path): --shard \(slice.description): the trace has \(offsets.count) records, fewer than the "
                        + "\(slice.count) shards; use at most \(offsets.count) shards")
            }
            plan.model = .trace(
                offsets: kept, maxInFlight: try share(maxInFlight, "in-flight slots", "load.max_in_flight"))
        }
        if let limit = requestLimit { plan.requestLimit = try share(limit, "requests", "load.requests") }
        let fraction = 1 / Double(slice.count)
        if var throttle {
            throttle.requestsPerMinute = throttle.requestsPerMinute.map { $0 * fraction }
            throttle.tokensPerMinute = throttle.tokensPerMinute.map { $0 * fraction }
            plan.throttle = throttle
        }
        if let budget { plan.budget = SpendBudget(maxUSD: budget.maxUSD * fraction) }
        return plan
    }
}
