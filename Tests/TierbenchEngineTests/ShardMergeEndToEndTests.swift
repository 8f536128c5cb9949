import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Real shard runs (Runner.run with --shard I/2 against the in-process mock, small) merged by MergeRunner.
@Suite("shard runs merged end to end", .serialized)
struct ShardMergeEndToEndTests {
    static let openScenario = """
        version: 1
        name: open-merge
        prompts: { inline: ["a", "b"] }
        mock: { latency: 1ms }
        load: { rate: 200, max_in_flight: 8, requests: 30, duration: 5s }
        """

    /// Runs shards 0/2 and 1/2 of `scenario` together, from one --start-at 0.7 s ahead (60 s tolerance), into
    /// `<dir>/results/shard-<i>` (as the Slurm script does).
    static func runShards(_ scenario: TestScenario) async throws -> [RunReport] {
        let start = ShardStartTime(unixNanos: Int64(Date().timeIntervalSince1970 * 1e9) + 700_000_000)
        func options(_ index: Int) throws -> RunOptions {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/results/shard-\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: 2), source: "flag")
            options.startAt = start
            // Generous: on a loaded machine a shard may come up seconds late; it then sends its overdue requests at
            // once, and their intended times stay on the schedule anchored at the start.
            options.startTolerance = TimeSpan(nanoseconds: 60_000_000_000)
            return options
        }
        async let first = Runner.run(try options(0))
        async let second = Runner.run(try options(1))
        return try await [first, second]
    }

    @Test("two real open-loop shards merge to the plan's target rate and the summed requests")
    func mergedTargetIsThePlanRate() async throws {
        let scenario = try TestScenario(Self.openScenario)
        defer { scenario.cleanup() }
        let reports = try await Self.runShards(scenario)
        #expect(reports.map(\.summary.generator.targetRequestsPerS) == [100, 100])  // each shard's share
        let outcome = try MergeRunner.merge(
            paths: [scenario.directory + "/results"], outputDirectory: scenario.directory + "/merged")
        let merged = outcome.report.summary
        #expect(merged.generator.targetRequestsPerS == 200)  // the plan's rate
        #expect(merged.requests.total == reports.reduce(0) { $0 + $1.summary.requests.total })
        #expect(merged.requests.total == 30)
        #expect(outcome.report.interrupted == false)
    }

    /// Intended send time (ms from the run's origin) of each global request number in `folder`/requests.jsonl:
    /// `t_ms − (response_time_ms − latency_ms)` (response time counts from the intended time, latency from the send).
    static func intendedTimes(_ folder: String) throws -> [Int: Double] {
        var times: [Int: Double] = [:]
        let log = try String(contentsOfFile: folder + "/requests.jsonl", encoding: .utf8)
        for line in log.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let index = try #require(object["i"] as? Int)
            let sent = try #require((object["t_ms"] as? NSNumber)?.doubleValue)
            let latency = try #require((object["latency_ms"] as? NSNumber)?.doubleValue)
            let response = (object["response_time_ms"] as? NSNumber)?.doubleValue ?? latency
            times[index] = sent - (response - latency)
        }
        return times
    }

    @Test("through the real sender, two open-loop shards' intended times per request number are the unsharded run's")
    func shardedScheduleIsTheUnshardedOne() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: open-union
            prompts: { inline: ["a", "b"] }
            mock: { latency: 1ms }
            load: { rate: 200, arrival: poisson, max_in_flight: 8, requests: 24, duration: 5s }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.outputDirectory = scenario.directory + "/whole"
        _ = try await Runner.run(options)
        let whole = try Self.intendedTimes(scenario.directory + "/whole")
        _ = try await Self.runShards(scenario)
        let first = try Self.intendedTimes(scenario.directory + "/results/shard-0")
        let second = try Self.intendedTimes(scenario.directory + "/results/shard-1")
        #expect(Set(first.keys).isDisjoint(with: second.keys))
        let union = first.merging(second) { lhs, _ in lhs }
        #expect(whole.count == 24 && Set(union.keys) == Set(whole.keys))
        // The runs' origins differ (the shards' is --start-at, the unsharded run's is taken before its schedule
        // starts), so the times are compared from global request 0's intended time in each.
        let wholeZero = try #require(whole[0])
        let unionZero = try #require(union[0])
        for (index, time) in whole.sorted(by: { $0.key < $1.key }) {
            // requests.jsonl rounds each figure to 1 µs: three roundings per time, two times per side.
            let sharded = (union[index] ?? -1_000) - unionZero
            #expect(abs(sharded - (time - wholeZero)) <= 0.006, "request \(index): \(sharded) vs \(time - wholeZero) ms")
        }
        // Poisson: the gaps are not all equal (the test is not of a trivial schedule).
        let times = whole.sorted(by: { $0.key < $1.key }).map(\.value)
        #expect(Set(zip(times, times.dropFirst()).map { (($1 - $0) * 10).rounded() }).count > 3)
    }
}
