import Foundation
import Synchronization
import Testing
import TierbenchCore
import TierbenchMock
@testable import TierbenchEngine

/// The live side of a sessions run: what the load thread publishes to the `LiveFeed` while it runs.
@Suite("Sessions live", .serialized)
struct SessionLiveTests {
    @Test("the live gauge of active sessions never exceeds users: N; the published started and outcomes leave out warmup sessions like the summary")
    func liveGaugeStaysWithinUsers() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: live-sessions
            sessions:
              turns: { dist: lognormal, mean: 3, stddev: 1, max: 6 }
              user_tokens: { mean: 20 }
              think_time: { dist: exponential, mean: 30ms }
            load: { users: 3, duration: 1500ms, warmup: 300ms }
            mock: { latency: 5ms, output_tokens: 6 }
            """)
        defer { scenario.cleanup() }
        let loaded = try ScenarioFile.load(path: scenario.path)
        let mock = MockServer(settings: loaded.scenario.mock)
        let port = try await mock.start()
        let plan = try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:\(port)/v1")
        let feed = LiveFeed(threads: 1)
        var runner = LoadRunner(plan: plan, threads: 1, stop: StopSignal(), log: nil)
        runner.live = feed
        let done = Atomic<Bool>(false)
        // Read the gauge as a live display would, every 10 ms, while the run lasts (bounded: at most 10 s).
        let watcher = Task.detached { () -> (peak: Int, samples: Int) in
            var peak = 0
            var samples = 0
            while !done.load(ordering: .acquiring), samples < 1_000 {
                let counters = feed.merged()
                peak = max(peak, counters.sessionsActive)
                samples += 1
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            return (peak, samples)
        }
        let result = try await runner.run()
        done.store(true, ordering: .releasing)
        let (peak, samples) = await watcher.value
        await mock.stop()
        #expect(samples > 10)
        #expect(peak <= 3)
        #expect(peak >= 1)
        let stats = try #require(result.sessions)
        #expect(stats.maxActive == 3)
        // The final publish: nothing active, every started session ended, outcomes as counted.
        let final = feed.merged()
        #expect(final.sessionsActive == 0)
        // Started and outcomes count the sessions started after the warmup, as the summary's outcomes do; the 3
        // sessions that started at 0 (in the warmup) are not in them.
        #expect(stats.started >= stats.outcomes.total + 3)
        #expect(final.sessionsStarted == stats.outcomes.total)
        #expect(final.sessionOutcomes.total == stats.outcomes.total)
        #expect(final.sessionOutcomes == stats.outcomes)
        // As the request counters do: the warmup's requests are counted apart from the measured ones.
        #expect(final.warmup > 0 && final.measured > 0)
        #expect(final.sessionOutcomes[.timeout] >= 1)
    }
}
