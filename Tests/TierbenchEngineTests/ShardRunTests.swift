import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

@Suite("Sharded runs: plan splits, --start-at, and shards run end to end", .serialized)
struct ShardRunTests {
    /// A wall clock that only moves when the gate sleeps (or the test moves it).
    final class SimulatedClock: @unchecked Sendable {
        private let lock = NSLock()
        private var now: Int64
        private(set) var sleeps: [UInt64] = []
        var onSleep: (@Sendable (Int) -> Void)?
        init(now: Int64) { self.now = now }
        var wall: Int64 { lock.withLock { now } }
        func sleep(_ nanos: UInt64) {
            let count = lock.withLock {
                sleeps.append(nanos)
                now += Int64(nanos)
                return sleeps.count
            }
            onSleep?(count)
        }
        var gateClock: StartGate.Clock {
            StartGate.Clock(wallNanos: { self.wall }, sleep: { self.sleep($0) })
        }
    }

    private static let start: Int64 = 1_796_495_400_000_000_000

    @Test("the gate sleeps in bounded steps until the start time and reports how late it woke")
    func waitsUntilStart() async throws {
        let clock = SimulatedClock(now: Self.start - 2_010_000_000)
        var gate = StartGate(start: ShardStartTime(unixNanos: Self.start), tolerance: StartGate.defaultTolerance)
        gate.clock = clock.gateClock
        let late = try await gate.wait(stop: StopSignal())
        #expect(late == 0)
        #expect(clock.wall == Self.start)
        #expect(clock.sleeps.count == 41)  // 40 × 50 ms and a last 10 ms
        #expect(clock.sleeps.allSatisfy { $0 <= StartGate.stepNanos })
        #expect(clock.sleeps.last == 10_000_000)
    }

    @Test("a start time within the tolerance starts at once; past it, the run is refused before anything is sent")
    func tooLate() async throws {
        let within = SimulatedClock(now: Self.start + 400_000_000)
        var gate = StartGate(start: ShardStartTime(unixNanos: Self.start), tolerance: StartGate.defaultTolerance)
        gate.clock = within.gateClock
        #expect(try await gate.wait(stop: StopSignal()) == 400_000_000)
        #expect(within.sleeps.isEmpty)

        let after = SimulatedClock(now: Self.start + 1_500_000_000)
        gate.clock = after.gateClock
        do {
            _ = try await gate.wait(stop: StopSignal())
            Issue.record("a start 1.5 s past was accepted")
        } catch {
            #expect(error.description.contains("--start-at 2026-12-05T18:30:00.000Z was 1.500 s ago"))
            #expect(error.description.contains("--start-tolerance"))
        }
        #expect(throws: EngineError.self) { try gate.checkNotTooLate() }
        gate.tolerance = TimeSpan(nanoseconds: 2_000_000_000)
        #expect(try await gate.wait(stop: StopSignal()) == 1_500_000_000)
    }

    @Test("an interrupt ends the wait with an error and nothing sent")
    func interrupted() async throws {
        let clock = SimulatedClock(now: Self.start - 3_600_000_000_000)
        let stop = StopSignal()
        clock.onSleep = { count in if count == 3 { stop.stop(.interrupted) } }
        var gate = StartGate(start: ShardStartTime(unixNanos: Self.start), tolerance: StartGate.defaultTolerance)
        gate.clock = clock.gateClock
        await #expect(throws: EngineError.self) { try await gate.wait(stop: stop) }
        #expect(clock.sleeps.count == 3)
    }

    private func plan(_ load: String) throws -> (LoadPlan, TestScenario) {
        let scenario = try TestScenario("""
            version: 1
            name: split
            prompts: { inline: ["a", "b", "c"] }
            load: \(load)
            """)
        let loaded = try ScenarioFile.load(path: scenario.path)
        return (try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:9/v1"), scenario)
    }

    @Test("closed loop, waves and open loop: workers, wave size, max_in_flight and requests split exactly", arguments: 1...7)
    func planSplits(count: Int) throws {
        let loads = [
            "{ max_workers: 7, requests: 23 }", "{ max_workers: 13, requests: 1000 }",
            "{ waves: { wave_size: 9 }, requests: 31 }",
            "{ rate: 50, max_in_flight: 11, requests: 17, duration: 10s }",
        ]
        for load in loads {
            let (whole, scenario) = try plan(load)
            defer { scenario.cleanup() }
            let parts = try (0..<count).map { try whole.sharded(try ShardSlice(index: $0, count: count), path: "s") }
            #expect(parts.map(\.slotCount).reduce(0, +) == whole.slotCount, "\(load)")
            #expect(parts.compactMap(\.requestLimit).reduce(0, +) == whole.requestLimit, "\(load)")
            #expect(parts.allSatisfy { $0.durationNanos == whole.durationNanos && $0.warmupNanos == whole.warmupNanos })
            #expect(parts.enumerated().allSatisfy { $0.element.shard.index == $0.offset })
        }
    }

    @Test("a shard that would get no workers or no requests is refused with the key to change")
    func tooManyShards() throws {
        let (whole, scenario) = try plan("{ max_workers: 3, requests: 100 }")
        defer { scenario.cleanup() }
        do {
            _ = try whole.sharded(try ShardSlice(index: 0, count: 4), path: "s.yaml")
            Issue.record("4 shards of 3 workers were accepted")
        } catch {
            #expect(String(describing: error).contains("load.max_workers"))
        }
        let (small, other) = try plan("{ max_workers: 8, requests: 2 }")
        defer { other.cleanup() }
        #expect(throws: EngineError.self) { try small.sharded(try ShardSlice(index: 2, count: 3), path: "s.yaml") }
    }

    @Test("plan key: the same for the same scenario as run; an override, the seed or the shard count changes it")
    func planKeyOfScenario() throws {
        let scenario = try TestScenario(Self.closedScenario)
        defer { scenario.cleanup() }
        let other = try TestScenario(Self.closedScenario.replacingOccurrences(of: "seed: 3", with: "seed: 4"))
        defer { other.cleanup() }
        func key(_ path: String, _ overrides: ScenarioOverrides = ScenarioOverrides(), count: Int = 2) throws -> String {
            ShardRecord.planKey(try ScenarioFile.load(path: path, overrides: overrides).scenarioAsRun, count: count)
        }
        let base = try key(scenario.path)
        #expect(base == (try key(scenario.path)))
        #expect(base == (try key(scenario.path, ScenarioOverrides(requests: "101"))))  // the same value as the file
        #expect(base != (try key(scenario.path, ScenarioOverrides(requests: "100"))))
        #expect(base != (try key(scenario.path, ScenarioOverrides(warmup: "1s"))))
        #expect(base != (try key(other.path)))
        #expect(base != (try key(scenario.path, count: 3)))
    }

    private static let closedScenario = """
        version: 1
        name: sharded
        prompts: { inline: ["one", "two words here", "a somewhat longer third prompt with more tokens in it", "four: the longest prompt of all, many words, to stand apart from every other one in tokens"] }
        mock: { latency: 1ms, seed: 3 }
        load: { max_workers: 5, requests: 101 }
        thresholds: ["latency_ms.p50 < 1us"]
        """

    @Test("two shards of a closed loop: their requests sum to the budget, partition its indices, carry shard blocks")
    func twoShards() async throws {
        let scenario = try TestScenario(Self.closedScenario)
        defer { scenario.cleanup() }
        var reports: [RunReport] = []
        var indices: [Int] = []
        var promptTokens: [Int: Int] = [:]
        for index in 0..<2 {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/shard\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: 2), source: "flag")
            let report = try await Runner.run(options)
            reports.append(report)
            let log = try String(contentsOfFile: report.directory + "/requests.jsonl", encoding: .utf8)
            for line in log.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let global = try #require(object?["i"] as? Int)
                #expect(global % 2 == index)
                indices.append(global)
                promptTokens[global] = object?["prompt_tokens"] as? Int
            }
        }
        #expect(reports.map(\.summary.requests.total) == [51, 50])
        #expect(reports.map { $0.mockStats?.requests } == [51, 50])
        #expect(indices.sorted() == Array(0..<101))
        // Request g carries the prompt the unsharded run sends as request g.
        var options = scenario.options()
        options.outputDirectory = scenario.directory + "/whole"
        _ = try await Runner.run(options)
        let whole = try String(contentsOfFile: scenario.directory + "/whole/requests.jsonl", encoding: .utf8)
        var wholeTokens: [Int: Int] = [:]
        for line in whole.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            wholeTokens[try #require(object?["i"] as? Int)] = object?["prompt_tokens"] as? Int
        }
        #expect(Set(wholeTokens.values).count == 4)
        #expect(promptTokens == wholeTokens)
        let blocks = try reports.map { try #require($0.summary.shard) }
        #expect(blocks.map(\.index) == [0, 1])
        #expect(blocks.allSatisfy { $0.count == 2 && $0.source == "flag" && $0.totalWorkers == 5 && $0.totalRequests == 101 })
        #expect(blocks.map(\.workers) == [3, 2])
        #expect(blocks.map(\.requests) == [51, 50])
        #expect(blocks[0].planKey == blocks[1].planKey && blocks[0].planKey.count == 32)
        #expect(blocks.allSatisfy { $0.startAt == nil && $0.firstSendOffsetMs == nil && !$0.host.isEmpty })
        #expect(blocks.allSatisfy { $0.originUnixNs > 1_700_000_000_000_000_000 })
        // The summary on disk carries the block under its documented keys.
        let json = try String(contentsOfFile: reports[1].directory + "/summary.json", encoding: .utf8)
        #expect(json.contains("\"plan_key\"") && json.contains("\"total_workers\""))
        // Another shard count is another plan.
        #expect(ShardRecord.planKey(.string("x"), count: 2) != ShardRecord.planKey(.string("x"), count: 3))
    }

    @Test("a shard whose threshold fails exits 0 and says that merge judges; the unsharded run fails the gate")
    func shardJudgesNothing() async throws {
        let scenario = try TestScenario(Self.closedScenario)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.requests = 20
        options.shard = ShardAssignment(slice: try ShardSlice(index: 1, count: 2), source: "SLURM_PROCID")
        let report = try await Runner.run(options)
        #expect(report.summary.requests.total == 10)
        #expect(report.notes.contains("shard 1/2: thresholds are judged by `tierbench merge`"))
        #expect(report.exitCode == ExitCodes.success)
        let verdict = try Gate.judge(run: report, options: GateOptions())
        #expect(verdict.exitCode == ExitCodes.success)
        #expect(verdict.thresholds.isEmpty && verdict.table.isEmpty)
        #expect(report.summary.shard?.source == "SLURM_PROCID")
        #expect(report.summary.shard?.totalRequests == 20)

        options.shard = nil
        options.outputDirectory = scenario.directory + "/whole"
        let whole = try await Runner.run(options)
        #expect(whole.summary.shard == nil)
        #expect(try Gate.judge(run: whole, options: GateOptions()).exitCode == ExitCodes.thresholdFailed)
    }

    @Test("two open-loop shards started together at --start-at: the global schedule split, origins at the start time")
    func openLoopStartAt() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: open
            prompts: { inline: ["a", "b"] }
            mock: { latency: 1ms }
            load: { rate: 200, max_in_flight: 8, requests: 40, duration: 5s }
            """)
        defer { scenario.cleanup() }
        let start = ShardStartTime(unixNanos: Int64(Date().timeIntervalSince1970 * 1e9) + 700_000_000)
        func options(_ index: Int) throws -> RunOptions {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/open\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: 2), source: "flag")
            options.startAt = start
            options.startTolerance = TimeSpan(nanoseconds: 5_000_000_000)
            return options
        }
        async let first = Runner.run(try options(0))
        async let second = Runner.run(try options(1))
        let reports = try await [first, second]
        #expect(reports.map(\.summary.requests.total) == [20, 20])
        for (index, report) in reports.enumerated() {
            let block = try #require(report.summary.shard)
            #expect(block.originUnixNs == start.unixNanos)
            #expect(block.startAt == start.iso8601)
            #expect(block.workers == 4 && block.totalWorkers == 8)
            #expect(report.summary.generator.targetRequestsPerS == 100)  // each shard's half of 200/s
            let offset = try #require(block.firstSendOffsetMs)
            #expect(offset >= 0)
            // Shard 0 sends global request 0 at the start; shard 1 sends request 1, intended 5 ms later on schedule.
            // The offset is the first send's lateness against that intended time, not its distance from the start.
            let firstSend = try #require(report.recorder.firstSend)
            #expect(abs(offset - (Double(firstSend) / 1e6 - 5.0 * Double(index))) < 0.001)
        }
        let second0 = try #require(reports[1].recorder.firstSend)
        #expect(second0 >= 5_000_000)
    }
}
