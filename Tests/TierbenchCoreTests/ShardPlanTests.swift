import Testing
import TierbenchCore

@Suite("Sharded runs: striping, schedules, plan key, start time")
struct ShardPlanTests {
    private struct Arrival: Hashable, Comparable {
        var index: Int
        var time: UInt64
        static func < (a: Arrival, b: Arrival) -> Bool { (a.index, a.time) < (b.index, b.time) }
    }

    /// The first `horizon` ns of a schedule, every arrival numbered.
    private func unsharded(_ profile: RateProfile, _ process: ArrivalProcess, horizon: UInt64) -> [Arrival] {
        var schedule = ArrivalSchedule(profile: profile, process: process, seed: 42)
        var out: [Arrival] = []
        while let time = schedule.next(), time < horizon { out.append(Arrival(index: out.count, time: time)) }
        return out
    }

    private func sharded(_ profile: RateProfile, _ process: ArrivalProcess, horizon: UInt64, count: Int) throws
        -> [[Arrival]]
    {
        try (0..<count).map { index in
            var schedule = ShardedArrivalSchedule(
                profile: profile, process: process, seed: 42, slice: try ShardSlice(index: index, count: count))
            var out: [Arrival] = []
            while let next = schedule.next(), next.time < horizon { out.append(Arrival(index: next.index, time: next.time)) }
            return out
        }
    }

    @Test("the union of N shards' open-loop schedules is the unsharded schedule exactly", arguments: [1, 2, 3, 7])
    func openLoopUnion(count: Int) throws {
        let ramp = RateProfile(startRate: 5, stages: [.init(duration: 2, target: 400), .init(duration: 1, target: 50)])
        let cases: [(RateProfile, ArrivalProcess)] = [
            (RateProfile(rate: 333), .constant), (RateProfile(rate: 250), .poisson), (ramp, .poisson),
            (ramp, .constant), (RateProfile(rate: 90), .gamma(burstiness: 0.5)),
        ]
        for (profile, process) in cases {
            let horizon: UInt64 = 4_000_000_000
            let whole = unsharded(profile, process, horizon: horizon)
            #expect(whole.count > 200)
            let parts = try sharded(profile, process, horizon: horizon, count: count)
            for (index, part) in parts.enumerated() {
                #expect(part.allSatisfy { $0.index % count == index })
                #expect(part.count == (0..<whole.count).filter { $0 % count == index }.count)
            }
            #expect(parts.flatMap { $0 }.sorted() == whole)
        }
    }

    @Test("worker and request splits sum exactly and differ by at most one", arguments: 1...7)
    func splitsSum(count: Int) throws {
        for total in [count, count + 1, 7, 10, 13, 97, 100, 1_001, 65_537] where total >= count {
            let shares = try (0..<count).map { try ShardSlice(index: $0, count: count).share(of: total) }
            #expect(shares.reduce(0, +) == total)
            #expect(shares.max()! - shares.min()! <= 1)
            #expect(shares == shares.sorted(by: >))  // the remainder goes to the first shards
            #expect(shares.allSatisfy { $0 >= 1 })
        }
    }

    @Test("request numbers and prompts: the shards' global requests partition 0..<total, so the prompts are the unsharded ones")
    func promptPartition() throws {
        let prompts = ["a", "b", "c", "d", "e"]
        for count in 1...7 {
            for total in [count, 11, 12, 50] where total >= count {
                var sent: [Int] = []
                var promptsSent: [String] = []
                for index in 0..<count {
                    let slice = try ShardSlice(index: index, count: count)
                    for local in 0..<slice.share(of: total) {
                        let global = slice.global(local)
                        sent.append(global)
                        promptsSent.append(prompts[global % prompts.count])
                    }
                }
                #expect(sent.sorted() == Array(0..<total))  // no duplicates, nothing missing
                let unshardedPrompts = (0..<total).map { prompts[$0 % prompts.count] }
                #expect(promptsSent.sorted() == unshardedPrompts.sorted())
            }
        }
    }

    @Test("trace records and sessions are striped: record k goes to shard k mod N with its own offset")
    func striping() throws {
        let offsets: [UInt64] = [0, 5, 5, 9, 30, 31, 70, 71, 72, 100]
        for count in 1...4 {
            let parts = try (0..<count).map { try ShardSlice(index: $0, count: count).stripe(Array(offsets.enumerated())) }
            for (index, part) in parts.enumerated() { #expect(part.allSatisfy { $0.offset % count == index }) }
            let union = parts.flatMap { $0 }.sorted { $0.offset < $1.offset }
            #expect(union.map(\.offset) == Array(0..<offsets.count))
            #expect(union.map(\.element) == offsets)
        }
        let slice = try ShardSlice(index: 2, count: 3)
        #expect(slice.owns(5) && slice.owns(2) && !slice.owns(3))
        #expect(slice.global(0) == 2 && slice.global(4) == 14)
        #expect(slice.global(.max) == .max)
    }

    @Test("--shard parsing: I/N with 0 ≤ I < N ≤ 1024; errors name the flag")
    func parsing() throws {
        #expect(try ShardSlice.parse("0/1") == ShardSlice.whole)
        #expect(try ShardSlice.parse("3/4").index == 3)
        #expect(try ShardSlice.parse("1023/1024").count == 1024)
        let bad = ["4/4", "-1/4", "0/0", "0/1025", "1", "a/b", "1/2/3", "", "/4", "1/"]
        for text in bad {
            #expect(throws: ShardError.self) { try ShardSlice.parse(text) }
            do {
                _ = try ShardSlice.parse(text, name: "--shard")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message.contains("--shard"), "\(error.message)")
            }
        }
        do {
            _ = try ShardSlice.parse("5/4")
            Issue.record("accepted 5/4")
        } catch {
            #expect(error.message.contains("between 0 and 3"))
        }
    }

    @Test("plan key: 32 hex digits, stable, and different for another scenario or shard count")
    func planKey() {
        let key = ShardPlanKey.make(canonicalScenario: #"{"name":"x"}"#, count: 4)
        #expect(key.count == 32)
        #expect(key.allSatisfy { $0.isHexDigit })
        #expect(key == ShardPlanKey.make(canonicalScenario: #"{"name":"x"}"#, count: 4))
        #expect(key != ShardPlanKey.make(canonicalScenario: #"{"name":"x"}"#, count: 3))
        #expect(key != ShardPlanKey.make(canonicalScenario: #"{"name":"y"}"#, count: 4))
        // FNV-1a 128 of the empty input is the offset basis; of "a" a published test vector.
        #expect(ShardPlanKey.digest("") == "6c62272e07bb014262b821756295c58d")
        #expect(ShardPlanKey.digest("a") == "d228cb696f1a8caf78912b704e4a8964")
    }

    @Test("--start-at: ISO-8601 UTC with fractions, or +DURATION; bad or far-off times are refused by name")
    func startTime() throws {
        let now: Int64 = 1_796_495_400_000_000_000  // 2026-12-05T18:30:00Z
        #expect(try ShardStartTime.parse("2026-12-05T18:30:00Z", nowUnixNanos: now).unixNanos == now)
        #expect(try ShardStartTime.parse("2026-12-05T18:30:00.25Z", nowUnixNanos: now).unixNanos == now + 250_000_000)
        #expect(try ShardStartTime.parse("2026-12-05T18:30:00.000000001Z", nowUnixNanos: now).unixNanos == now + 1)
        #expect(try ShardStartTime.parse("+10s", nowUnixNanos: now).unixNanos == now + 10_000_000_000)
        #expect(try ShardStartTime.parse("+1.5s", nowUnixNanos: now).iso8601 == "2026-12-05T18:30:01.500Z")
        #expect(try ShardStartTime.parse("2024-02-29T00:00:00Z", nowUnixNanos: now).iso8601 == "2024-02-29T00:00:00.000Z")
        let bad = [
            "2026-12-05 18:30:00Z", "2026-12-05T18:30:00", "2026-13-05T18:30:00Z", "2026-02-30T18:30:00Z",
            "2026-12-05T24:00:00Z", "2026-12-05T18:30:00.Z", "2026-12-05T18:30:00.1234567890Z", "+", "+10",
            "+-1s", "2026-12-05T18:30:00+01:00", "tomorrow", "+25h", "2026-12-07T18:30:00Z",
        ]
        for text in bad {
            do {
                _ = try ShardStartTime.parse(text, nowUnixNanos: now)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message.contains("--start-at"), "\(error.message)")
            }
        }
    }

    @Test("--start-at after 2262 (past Int64 nanoseconds) is refused with a clear error, not a trap",
          arguments: ["2300-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2262-04-11T23:47:16.854775808Z"])
    func startTimeBeyondInt64(text: String) {
        let now: Int64 = 1_796_495_400_000_000_000
        do {
            _ = try ShardStartTime.parse(text, nowUnixNanos: now)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains("--start-at") && error.message.contains("2262"), "\(error.message)")
        }
    }
}
