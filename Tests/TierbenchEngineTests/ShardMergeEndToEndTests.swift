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

    /// Runs shards 0/2 and 1/2 of `scenario` one after the other into `<dir>/shard-<i>`.
    static func runShards(_ scenario: TestScenario, count: Int = 2) async throws -> [RunReport] {
        var reports: [RunReport] = []
        for index in 0..<count {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/results/shard-\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: count), source: "flag")
            reports.append(try await Runner.run(options))
        }
        return reports
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
