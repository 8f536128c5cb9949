import Testing

@testable import TierbenchCore

/// Sessions split by session over shards (docs/sessions.md "Sharded runs"), simulated on a written-out clock: the
/// shards' sessions are a partition of the unsharded run's sessions, each with the same draws.
@Suite struct ShardSessionTests {
    static let ms: UInt64 = 1_000_000
    static let s: UInt64 = 1_000_000_000

    /// What a session is, independent of the shard that ran it.
    struct Session: Hashable {
        var number: Int
        var id: String
        var turnsPlanned: Int
        var start: UInt64
        var end: UInt64
        var outcome: SessionOutcome
        var turnsDone: Int
        /// The think time drawn before each turn, in order.
        var thinks: [UInt64]
    }

    /// Runs `scheduler` to its end: every turn takes `latency`, any number in flight at once.
    static func simulate(_ scheduler: inout SessionScheduler, latency: UInt64) -> [Session] {
        var inFlight: [(end: UInt64, session: Int)] = []
        var thinks: [Int: [UInt64]] = [:]
        var ended: [SessionRecord] = []
        var now: UInt64 = 0
        var steps = 0
        while !scheduler.isFinished, steps < 100_000 {
            steps += 1
            while let due = scheduler.popDue(now: now) {
                thinks[due.session, default: []].append(due.think)
                inFlight.append((now + latency, due.session))
            }
            ended += scheduler.takeEnded()
            guard let wake = [inFlight.map(\.end).min(), scheduler.nextWakeup].compactMap({ $0 }).min() else { break }
            now = max(now, wake)
            for item in inFlight.sorted(by: { ($0.end, $0.session) < ($1.end, $1.session) }) where item.end <= now {
                scheduler.finish(session: item.session, result: SessionTurnResult(
                    succeeded: true, status: 200, latencyNanos: latency), now: item.end)
            }
            inFlight.removeAll { $0.end <= now }
        }
        ended += scheduler.takeEnded()
        return ended.map {
            Session(number: $0.number, id: $0.id, turnsPlanned: $0.turnsPlanned, start: $0.start, end: $0.end,
                    outcome: $0.outcome, turnsDone: $0.turnsDone, thinks: thinks[$0.number] ?? [])
        }
    }

    static var varied: SessionSettings {
        var settings = SessionSettings()
        settings.turns = .init(kind: .lognormal, mean: 3, stddev: 2, max: 8)
        settings.thinkTime = .init(kind: .exponential, mean: 0.4)
        settings.seed = 11
        return settings
    }

    static func openArrivals() -> SessionScheduler.Arrivals {
        .open(ArrivalSchedule(profile: RateProfile(startRate: 6, stages: []), process: .poisson, seed: 5))
    }

    @Test("open loop: the union of N shards' sessions is the unsharded run's sessions, draw for draw",
          arguments: [1, 2, 3])
    func openLoopPartition(count: Int) throws {
        var whole = SessionScheduler(settings: Self.varied, arrivals: Self.openArrivals(), endNanos: 6 * Self.s)
        let unsharded = Self.simulate(&whole, latency: 150 * Self.ms)
        #expect(unsharded.count > 20)
        #expect(Set(unsharded.map(\.turnsPlanned)).count > 2)  // the turn counts really vary
        #expect(unsharded.contains { $0.outcome == .timeout } && unsharded.contains { $0.outcome == .completed })
        var union: [Session] = []
        for index in 0..<count {
            let slice = try ShardSlice(index: index, count: count)
            var part = SessionScheduler(
                settings: Self.varied, arrivals: Self.openArrivals(), endNanos: 6 * Self.s, shard: slice)
            let sessions = Self.simulate(&part, latency: 150 * Self.ms)
            // Shard I runs the arrivals g ≡ I (mod N), as session numbers g + 1.
            #expect(sessions.allSatisfy { ($0.number - 1) % count == index })
            #expect(sessions.count == slice.share(of: unsharded.count))
            union += sessions
        }
        #expect(Set(union.map(\.id)).count == union.count)  // ids unique across shards
        #expect(union.sorted { $0.number < $1.number } == unsharded.sorted { $0.number < $1.number })
    }

    @Test("users: each shard numbers its sessions I + k·N + 1; in lockstep the union is the unsharded run's sessions",
          arguments: [1, 2, 3])
    func usersPartition(count: Int) throws {
        // 6 users, 2 turns each, constant think time: every user runs its sessions in step, so after the same time
        // the unsharded run has started 6 per round and shard I its share per round.
        var settings = SessionSettings()
        settings.turns = .constant(2)
        settings.thinkTime = .constant(0.1)
        settings.userTokens = .constant(10)
        var whole = SessionScheduler(settings: settings, arrivals: .users(6), endNanos: 2 * Self.s)
        let unsharded = Self.simulate(&whole, latency: 130 * Self.ms)
        #expect(Set(unsharded.map(\.number)) == Set(1...unsharded.count))
        var union: [Session] = []
        for index in 0..<count {
            let slice = try ShardSlice(index: index, count: count)
            var part = SessionScheduler(
                settings: settings, arrivals: .users(slice.share(of: 6)), endNanos: 2 * Self.s, shard: slice)
            let sessions = Self.simulate(&part, latency: 130 * Self.ms)
            let numbers = sessions.map(\.number).sorted()
            #expect(numbers == (0..<sessions.count).map { index + $0 * count + 1 })
            union += sessions
        }
        #expect(Set(union.map(\.id)).count == union.count)
        #expect(union.sorted { $0.number < $1.number } == unsharded.sorted { $0.number < $1.number })
    }

    @Test("users with varied sessions: a session number plans the same turns and think times on any shard")
    func usersSameDrawsPerNumber() throws {
        var whole = SessionScheduler(settings: Self.varied, arrivals: .users(4), endNanos: 8 * Self.s)
        let unsharded = Dictionary(uniqueKeysWithValues: Self.simulate(&whole, latency: 90 * Self.ms).map { ($0.number, $0) })
        var ids: Set<String> = []
        var compared = 0
        for index in 0..<3 {
            let slice = try ShardSlice(index: index, count: 3)
            var part = SessionScheduler(
                settings: Self.varied, arrivals: .users(slice.share(of: 4)), endNanos: 8 * Self.s, shard: slice)
            for session in Self.simulate(&part, latency: 90 * Self.ms) {
                #expect((session.number - 1) % 3 == index)
                #expect(ids.insert(session.id).inserted, "\(session.id) on two shards")
                guard let same = unsharded[session.number] else { continue }
                #expect(session.turnsPlanned == same.turnsPlanned, "\(session.id)")
                // Think times drawn before the turns both runs sent are the same draws.
                let sent = min(session.thinks.count, same.thinks.count)
                #expect(Array(session.thinks.prefix(sent)) == Array(same.thinks.prefix(sent)), "\(session.id)")
                compared += 1
            }
        }
        #expect(compared >= 10)
    }

    @Test("the unsharded run stays deterministic for a seed, and a different seed draws differently")
    func deterministicForASeed() {
        var first = SessionScheduler(settings: Self.varied, arrivals: .users(3), endNanos: 5 * Self.s)
        var second = SessionScheduler(settings: Self.varied, arrivals: .users(3), endNanos: 5 * Self.s)
        let a = Self.simulate(&first, latency: 70 * Self.ms)
        #expect(a == Self.simulate(&second, latency: 70 * Self.ms))
        var other = Self.varied
        other.seed = 12
        var third = SessionScheduler(settings: other, arrivals: .users(3), endNanos: 5 * Self.s)
        #expect(a.map(\.turnsPlanned) != Self.simulate(&third, latency: 70 * Self.ms).map(\.turnsPlanned))
    }

    @Test("a session's stream depends on the seed and its number only")
    func streamsPerSession() {
        var a = SessionRandom.stream(seed: 3, session: 7)
        var b = SessionRandom.stream(seed: 3, session: 7)
        #expect(a.next() == b.next())
        var c = SessionRandom.stream(seed: 3, session: 8)
        var d = SessionRandom.stream(seed: 4, session: 7)
        let first = SessionRandom.stream(seed: 3, session: 7)
        var copy = first
        let value = copy.next()
        #expect(c.next() != value && d.next() != value)
    }
}
