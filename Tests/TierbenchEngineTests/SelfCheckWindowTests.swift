import Foundation
import Testing
import TierbenchCore
import TierbenchMock
@testable import TierbenchEngine

/// The self-check's process CPU figure covers the run only: from after the loops' set-up and the `--start-at` wait
/// to the end of the load.
@Suite("self-check window", .serialized, .timeLimit(.minutes(1)))
struct SelfCheckWindowTests {
    /// Runs 20 requests on 2 workers against the in-process mock answering after 5 ms, with `http.loop: loop`;
    /// `configure` may set up the runner first.
    static func run(
        loop: String = "epoll", configure: (inout LoadRunner) -> Void = { _ in }
    ) async throws -> LoadRunner.Result {
        let scenario = try TestScenario("""
            version: 1
            name: window
            endpoint: chat
            model: gpt-4o-mini
            prompts: { inline: ["who is the oldest president"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 10 }
            load: { max_workers: 2, requests: 20 }
            mock: { latency: 5ms }
            http: { loop: \(loop) }
            """)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let mock = MockServer(settings: loaded.scenario.mock)
        let port = try await mock.start()
        let plan = try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:\(port)/v1")
        var runner = LoadRunner(plan: plan, threads: 1, stop: StopSignal(), log: nil)
        configure(&runner)
        do {
            let result = try await runner.run()
            await mock.stop()
            return result
        } catch {
            await mock.stop()
            throw error
        }
    }

    @Test("a run that waits 800 ms for --start-at does not count the wait in its CPU window")
    func startAtWaitIsLeftOut() async throws {
        let result = try await Self.run { runner in
            let start = Int64(Date().timeIntervalSince1970 * 1e9) + 800_000_000
            runner.startGate = StartGate(start: ShardStartTime(unixNanos: start), tolerance: StartGate.defaultTolerance)
        }
        #expect(result.recorder.total == 20)
        // Ground truth: the run (origin at the start time, end when the last thread finished) lasts well under the
        // 800 ms wait before it; a window that included the wait would be ≥ 0.8 s longer than the run.
        let run = Double(result.runEnd &- result.runStart) / 1e9
        #expect(result.processWallSeconds > 0)
        #expect(result.processWallSeconds <= run + 0.3, "window \(result.processWallSeconds) s, run \(run) s")
    }

    @Test("the busiest thread's transfers per pass reach the self-check with the epoll pass, not with the poll pass",
          arguments: ["epoll", "poll"])
    func transfersPerPass(loop: String) async throws {
        let result = try await Self.run(loop: loop)
        #expect(result.recorder.total == 20)
        let measurement = SelfCheckProbe.measurement(result, mockStats: nil)
        guard loop == "epoll" else {
            #expect(measurement.epollPasses == nil)
            return
        }
        // Ground truth: 20 transfers on 2 slots, each a 5 ms response, so at least 10 passes read one, and no pass
        // can finish more than the 2 slots.
        let passes = try #require(measurement.epollPasses)
        #expect(passes.slots == 2)
        #expect(passes.finishedPerPass > 0 && passes.finishedPerPass <= 2)
    }
}
