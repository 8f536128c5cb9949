import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// What a shard refuses or disarms: `action: abort` alerts only warn, and a results folder from an earlier run is
/// refused (merge could otherwise mix runs).
@Suite("shard guards: alerts never abort a shard, a used results folder is refused", .serialized)
struct ShardGuardTests {
    @Test("an abort alert on a shard fires as a warning and the shard runs to its end, with a note")
    func abortAlertDoesNotStopAShard() async throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 4, duration: 3s }
            mock: { latency: 5ms, seed: 3, faults: { status_rates: { 500: 0.5 } } }
            alerts:
              - { when: "error_rate > 20%", for: 1s, action: abort }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.shard = ShardAssignment(slice: try ShardSlice(index: 0, count: 2), source: "flag")
        let report = try await Runner.run(options)
        #expect(!report.alerts.isEmpty, "the alert still fires and is shown")
        #expect(report.alerts.allSatisfy { $0.rule.action == .warn })
        #expect(!report.abortedByAlert)
        #expect(report.summary.stoppedEarly == nil)
        #expect(!report.interrupted)
        #expect(report.exitCode == ExitCodes.success)
        #expect(report.summary.durationS >= 2.9, "the shard ran its whole 3 s")
        #expect(report.notes.contains { $0.contains("action: abort") && $0.contains("never aborts") })
    }

    @Test("a shard refuses an --output folder that already holds a summary.json, naming it")
    func usedFolderIsRefused() async throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, requests: 4 }
            mock: { latency: 1ms }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.shard = ShardAssignment(slice: try ShardSlice(index: 0, count: 2), source: "flag")
        let report = try await Runner.run(options)
        var gate = GateOptions()
        gate.formats = [.json, .html]
        let verdict = try Gate.judge(run: report, options: gate)
        #expect(verdict.table.contains("--format html"), "a shard says it skipped --format html")
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/report.html"))
        do {
            _ = try await Runner.run(options)
            Issue.record("a second shard run into the same folder was accepted")
        } catch {
            #expect(error.description.contains(scenario.output))
            #expect(error.description.contains("use a fresh folder per run"))
        }
        options.shard = nil
        _ = try await Runner.run(options)  // an unsharded run may still overwrite its folder
    }

    @Test("retry jitter is seeded per shard and thread: the shards of one plan do not back off in lockstep")
    func retryJitterDiffersPerShard() throws {
        var seeds: Set<UInt64> = []
        for index in 0..<4 {
            let slice = try ShardSlice(index: index, count: 4)
            for thread in 0..<4 { seeds.insert(LoadDriver.retrySeed(planSeed: 42, thread: thread, shard: slice)) }
        }
        #expect(seeds.count == 16)
        #expect(LoadDriver.retrySeed(planSeed: 42, thread: 3, shard: .whole) == 45)  // unsharded: unchanged
        var first = SplitMix64(seed: LoadDriver.retrySeed(planSeed: 42, thread: 0, shard: try ShardSlice(index: 0, count: 2)))
        var second = SplitMix64(seed: LoadDriver.retrySeed(planSeed: 42, thread: 0, shard: try ShardSlice(index: 1, count: 2)))
        #expect(first.next() != second.next())
    }
}
