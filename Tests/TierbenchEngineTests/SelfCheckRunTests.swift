import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine
import TierbenchMock

/// The self-check on real runs against the in-process mock: a client made to fall behind is flagged, a quiet run is
/// trusted, and the mock's schedule lag reaches the rules.
@Suite("self-check on real runs", .serialized, .timeLimit(.minutes(2)))
struct SelfCheckRunTests {
    @Test("a client that burns 2 ms in every body callback falls behind its streams: loop lag flags, and the generator")
    func overloadedClientIsFlagged() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: overloaded-client
            endpoint: chat
            model: gpt-4o-mini
            stream: true
            prompts: { inline: ["tell me a story"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 10 }
            load: { max_workers: 4, requests: 24 }
            mock: { latency: { ttft: 10ms, itl: 5ms } }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.burnNanosPerBody = 2_000_000
        let report = try await Runner.run(options)
        #expect(report.summary.requests.succeeded == 24)
        let check = try #require(report.summary.selfCheck)
        let lag = try #require(check.loopLagMs)
        // Ground truth: a pass that read a body spent ≥ 2 ms in the callback after epoll_wait returned; every one
        // of the 24 streams was read in some pass.
        #expect(lag.count >= SelfCheckRules.minimumLate)
        #expect(lag.p99 >= 2 && lag.max >= 2)
        #expect(!check.trusted)
        #expect(check.problems.contains { $0.hasPrefix("loop lag over") })
        #expect(report.summary.generator.limitedByGenerator)
        let json = try scenario.read("summary.json")
        #expect(json.contains(#""trusted" : false"#))
        #expect(ConsoleSummary.render(report.summary, color: false).contains("NOT trusted"))
    }

    @Test("a quiet run (4 workers, 10 ms responses) is trusted, with every figure filled")
    func quietRunIsTrusted() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: quiet
            endpoint: chat
            model: gpt-4o-mini
            prompts: { inline: ["who is the oldest president"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 10 }
            load: { max_workers: 4, requests: 200 }
            mock: { latency: { base: 10ms } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 200)
        let check = try #require(report.summary.selfCheck)
        let lag = try #require(check.loopLagMs)
        #expect(lag.count >= 200 / 4)  // at least a pass per 4 responses (4 workers: at most 4 read in one pass)
        #expect(check.coresAvailable == ProcessInfo.processInfo.activeProcessorCount)
        #expect(check.processCPUCores > 0 && check.busiestLoadThreadCPU > 0)
        #expect(check.trusted == check.problems.isEmpty)
        // The CPU figure covers the whole test process, which runs other suites in parallel: only a saturated
        // machine may make this run untrusted (late wake-ups, a preempted load thread), and then the problem says so.
        if check.processCPUCores < SelfCheckRules.processCPUShare * Double(check.coresAvailable),
            (check.machineCPUBusy ?? 0) < SelfCheckRules.machineCPUShare
        {
            #expect(check.busiestLoadThreadCPU < 0.9)
            #expect(!check.problems.contains { $0.hasPrefix("loop lag") || $0.hasPrefix("busiest load thread") })
            #expect(!report.summary.generator.limitedByGenerator)
            // The client's own rules pass; what may still fail is the machine's load (other suites, other jobs):
            // the in-process mock delayed by them, or the machine busy.
            #expect(
                check.problems.allSatisfy { $0.hasPrefix("mock schedule lag") || $0.hasPrefix("machine CPU") },
                "problems: \(check.problems)")
        }
    }

    @Test(
        "an open loop at 450 req/s spins before every send, but the spin is not counted as a busy load thread",
        arguments: ["epoll", "poll"])
    func openLoopSpinIsNotBusy(loop: String) async throws {
        let scenario = try TestScenario("""
            version: 1
            name: open-loop-spin
            endpoint: chat
            model: gpt-4o-mini
            prompts: { inline: ["who is the oldest president"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 10 }
            load: { rate: 450, arrival: constant, duration: 2s }
            mock: { latency: { base: 2ms } }
            http: { loop: \(loop) }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.total >= 300)
        let check = try #require(report.summary.selfCheck)
        // Ground truth: sends 2.2 ms apart with the default 2 ms spin poll for ~2 ms before each, so the load
        // thread's raw CPU is most of a core; the work itself (one 2 ms request per gap) is a small part of it.
        #expect(check.busiestLoadThreadCPU < SelfCheckRules.loadThreadCPUShare, "problems: \(check.problems)")
        #expect(!check.problems.contains { $0.hasPrefix("busiest load thread") }, "problems: \(check.problems)")
        // One load thread whatever --threads says: the advice never tells an open loop to raise it.
        #expect(!check.problems.contains { $0.contains("raise --threads") })
    }

    @Test("a mock that burns 3 ms of CPU per SSE event falls behind its own schedule: the run is not trusted")
    func overloadedMockIsFlagged() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: overloaded-mock
            endpoint: chat
            model: gpt-4o-mini
            stream: true
            prompts: { inline: ["tell me a story"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 10 }
            load: { max_workers: 8, requests: 16 }
            mock: { latency: { ttft: 10ms, itl: 5ms }, cpu_burn_per_event: 3ms }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 16)
        let check = try #require(report.summary.selfCheck)
        // Ground truth: 8 streams each due every 5 ms need 8 × 3 ms = 24 ms of CPU per 5 ms of schedule on at most
        // two event loops, so most writes go out far more than 1 ms after their due time.
        let lag = try #require(check.mockScheduleLagMs)
        #expect(lag.count >= 16 * 10)
        #expect(lag.max > 3)
        #expect(!check.trusted)
        #expect(check.problems.contains { $0.hasPrefix("mock schedule lag over") })
        #expect(ConsoleSummary.render(report.summary, color: false).contains("NOT trusted"))
    }

    @Test("the mock's schedule lag reaches the rules: late scheduled writes flag the run")
    func mockScheduleLagIsJudged() throws {
        var late = DurationHistogram()
        for _ in 0..<95 { late.record(nanoseconds: 200_000) }
        for _ in 0..<5 { late.record(nanoseconds: 4_000_000) }
        var stats = MockStats()
        stats.scheduleLag = HistogramSnapshot(late.histogram)
        let result = LoadRunner.Result(
            recorder: MetricsRecorder(), abandoned: 0, runStart: 0, runEnd: 1_000_000_000, processCPUSeconds: 0.1,
            processWallSeconds: 1)
        let check = SelfCheckRules.evaluate(SelfCheckProbe.measurement(result, mockStats: stats), itlP50Ms: nil)
        #expect(check.mockScheduleLagMs?.p99 == 4)
        #expect(!check.trusted && check.problems.count == 1)
        #expect(check.problems[0].hasPrefix("mock schedule lag over 1.00 ms in 5 of 100 scheduled writes (p99 4.00 ms"))
        let remote = SelfCheckRules.evaluate(SelfCheckProbe.measurement(result, mockStats: nil), itlP50Ms: nil)
        #expect(remote.mockScheduleLagMs == nil && remote.trusted)
    }
}
