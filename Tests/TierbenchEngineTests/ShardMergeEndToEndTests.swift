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

    /// Runs shards 0/2 and 1/2 of `scenario` together, from one --start-at 0.7 s ahead, into
    /// `<dir>/results/shard-<i>` (as the Slurm script does).
    static func runShards(_ scenario: TestScenario) async throws -> [RunReport] {
        let start = ShardStartTime(unixNanos: Int64(Date().timeIntervalSince1970 * 1e9) + 700_000_000)
        func options(_ index: Int) throws -> RunOptions {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/results/shard-\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: 2), source: "flag")
            options.startAt = start
            options.startTolerance = TimeSpan(nanoseconds: 5_000_000_000)
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
}
