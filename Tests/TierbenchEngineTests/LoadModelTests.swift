import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// Issue 4's load models against the built-in mock, each bounded in time (≤ ~12 s).
@Suite("Load models, coordinated omission, throttle and streaming", .serialized)
struct LoadModelTests {
    /// Mean and coefficient of variation of the gaps between actual send times (`t_ms`) of the measured (not
    /// warmup) requests in the request log.
    private func sendGaps(_ scenario: TestScenario) throws -> (mean: Double, cv: Double) {
        let sends = try scenario.requestLog().filter { $0["warmup"] == nil }.compactMap { $0["t_ms"] as? Double }.sorted()
        let gaps = zip(sends.dropFirst(), sends).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        return (mean, variance.squareRoot() / mean)
    }

    @Test("open loop at 200 req/s for 10 s: achieved rate within 1 %, inter-arrival CV < 0.05")
    func constantRate() async throws {
        // The load thread spins through the last 2 ms before each send (`load.spin`), so late wake-ups from sleep do
        // not reach the send times; on a quiet host the CV is 0.003–0.04. What remains is the host: on this VM kind
        // even a thread that never sleeps is descheduled for 0.3–3 ms at a time, in bursts, and a burst during a
        // 10-s run pushes the CV past 0.05 (a plain C loop sleeping to absolute deadlines shows the same). So the
        // run is repeated, at most 3 times, until one attempt shows the generator's own precision; every attempt
        // must meet the other bounds. Only when every attempt lost ≥ 10 ticks (100 ms) of CPU to the hypervisor
        // (`HostSteal`) is a CV ≥ 0.05 recorded as a known issue of the host rather than a failure.
        var attempts: [(cv: Double, steal: Int?)] = []
        for _ in 1...3 {
            let scenario = try TestScenario("""
                version: 1
                name: open-constant
                prompts: { inline: ["hello"] }
                load: { rate: 200, arrival: constant, duration: 10s, warmup: 1s, max_in_flight: 64 }
                mock: { latency: 5ms }
                """)
            defer { scenario.cleanup() }
            let (report, steal) = try await HostSteal.measure { try await Runner.run(scenario.options()) }
            // 10 s at 200 req/s = 2000 sends; the first second (200) is warmup, opening connections.
            #expect(report.summary.requests.total + report.summary.requests.warmupExcluded == 2000)
            let achieved = report.summary.generator.achievedRequestsPerS
            #expect(abs(achieved - 200) / 200 < 0.01, "achieved \(achieved) req/s")
            // Actual send gaps: request log `t_ms`, µs precision.
            let (mean, cv) = try sendGaps(scenario)
            #expect(abs(mean - 5) < 0.05, "mean gap \(mean) ms")
            attempts.append((cv, steal))
            if cv < 0.05 { break }
        }
        let message = Comment(rawValue: "inter-arrival CV and host steal (ticks) of each attempt: \(attempts)")
        if attempts.allSatisfy({ $0.cv >= 0.05 && ($0.steal ?? 0) >= 10 }) {
            withKnownIssue("the hypervisor took the CPU during every attempt") {
                #expect(attempts.contains { $0.cv < 0.05 }, message)
            }
        } else {
            #expect(attempts.contains { $0.cv < 0.05 }, message)
        }
    }

    @Test("Poisson arrivals have an inter-arrival CV between 0.9 and 1.1")
    func poissonRate() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: open-poisson
            prompts: { inline: ["hello"] }
            load: { rate: 200, arrival: poisson, duration: 10s, warmup: 1s, max_in_flight: 64 }
            mock: { latency: 5ms }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let (_, cv) = try sendGaps(scenario)
        #expect(cv > 0.9 && cv < 1.1, "inter-arrival CV \(cv)")
        #expect(report.summary.requests.failed == 0)
    }

    @Test("a 1 s freeze at 100 req/s with max_in_flight 10: response-time p99 ≥ 850 ms, service time far lower")
    func coordinatedOmission() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: freeze
            prompts: { inline: ["hello"] }
            load: { rate: 100, duration: 10s, max_in_flight: 10 }
            mock:
              latency: 5ms
              faults:
                schedule: [{ start: 4s, duration: 1s, freeze: true }]
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let response = report.summary.responseTimeMs.p99
        let service = report.summary.latencyMs.p99
        #expect(response >= 850, "response-time p99 \(response) ms")
        #expect(service < response / 4, "service-time p99 \(service) ms vs response-time p99 \(response) ms")
        #expect(report.summary.generator.lateSends > 50)
    }

    @Test("waves of 10 finish fewer requests per second than 10 continuous workers when latency varies")
    func wavesCostThroughput() async throws {
        func run(_ load: String) async throws -> Double {
            let scenario = try TestScenario("""
                version: 1
                name: waves
                prompts: { inline: ["hello"] }
                load: { \(load), duration: 4s }
                mock: { latency: { base: { dist: lognormal, mean: 20ms, stddev: 15ms } } }
                """)
            defer { scenario.cleanup() }
            return try await Runner.run(scenario.options()).summary.throughput.requestsPerS
        }
        let waves = try await run("waves: { wave_size: 10 }")
        let pool = try await run("max_workers: 10")
        #expect(waves < pool * 0.9, "waves \(waves) req/s vs pool \(pool) req/s")
    }

    @Test("a throttle at 600 RPM against a 700 RPM tier (time-scaled): no 429s and ≥ 95 % of 600 RPM")
    func throttleUnderTier() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: throttle
            prompts: { inline: ["hello"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 5 }
            load: { max_workers: 16, duration: 6s }
            throttle: { rpm: 600 }
            mock: { latency: 2ms, time_scale: 10, limits: { rpm: 700 } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.statusCounts["429"] == nil)
        #expect(report.summary.requests.failed == 0)
        // In real units: requests per (scaled) second × 60 / time_scale.
        let realRPM = report.summary.throughput.requestsPerS * 60 / 10
        #expect(realRPM >= 0.95 * 600, "achieved \(realRPM) RPM")
        // Closed loop: a worker's request is due when its last one ended, so the throttle's hold shows as the wait
        // before send. The throttle's bucket starts full (600 requests pass at once); after that 16 workers share
        // 100 sends/s, so each sends every ~160 ms and waits most of it: about half the requests waited.
        let summary = report.summary
        #expect(summary.sendLatenessMs.p90 > 100, "wait before send p90 \(summary.sendLatenessMs.p90) ms")
        #expect(summary.responseTimeMs.p90 > summary.latencyMs.p90 + 100,
                "response time p90 \(summary.responseTimeMs.p90) ms vs service time p90 \(summary.latencyMs.p90) ms")
    }

    @Test("closed loop without a throttle: each worker sends as soon as its last request ends")
    func closedLoopWaitsNothing() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: closed
            prompts: { inline: ["hello"] }
            load: { max_workers: 4, requests: 400 }
            mock: { latency: 2ms }
            """)
        defer { scenario.cleanup() }
        let summary = try await Runner.run(scenario.options()).summary
        #expect(summary.requests.succeeded == 400)
        // The re-issue happens in the completion callback: no wait beyond the loop's own pass.
        #expect(summary.sendLatenessMs.p50 < 0.5, "wait before send p50 \(summary.sendLatenessMs.p50) ms")
        #expect(summary.responseTimeMs.p50 - summary.latencyMs.p50 < 0.5)
    }

    @Test("streaming: TTFT and ITL medians within 2 ms of the mock's configured values")
    func streaming() async throws {
        // The mock measures TTFT from the request's arrival on the socket and builds each chunk before it is due;
        // what is left is the write after the deadline and the loopback: TTFT p50 about 51 ms with this debug build
        // (a release client changes nothing). Host stalls (see `constantRate`) can add the rest of the 2 ms,
        // so, as there, up to 3 attempts, and a miss in every one is a known issue only if the host stole CPU.
        var attempts: [(ttft: Double, itl: Double, steal: Int?)] = []
        for _ in 1...3 {
            let scenario = try TestScenario("""
                version: 1
                name: stream
                stream: true
                prompts: { inline: ["tell me a story"] }
                request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 20 }
                load: { max_workers: 4, requests: 40 }
                mock: { latency: { ttft: 50ms, itl: 10ms } }
                """)
            defer { scenario.cleanup() }
            let (report, steal) = try await HostSteal.measure { try await Runner.run(scenario.options()) }
            #expect(report.summary.requests.succeeded == 40)
            #expect(report.summary.tokens.completion == 40 * 20)
            let ttft = try #require(report.summary.ttftMs)
            let itl = try #require(report.summary.itlMs)
            // Far off means a real bug (wrong base, ITL per token, TTFT from the wrong event), whatever the host.
            #expect(abs(ttft.p50 - 50) <= 10 && abs(itl.p50 - 10) <= 5, "TTFT p50 \(ttft.p50) ms, ITL p50 \(itl.p50) ms")
            attempts.append((ttft.p50, itl.p50, steal))
            if abs(ttft.p50 - 50) <= 2 && abs(itl.p50 - 10) <= 2 { break }
        }
        let within = attempts.contains { abs($0.ttft - 50) <= 2 && abs($0.itl - 10) <= 2 }
        let message = Comment(rawValue: "TTFT p50, ITL p50 (ms) and host steal (ticks) of each attempt: \(attempts)")
        if !within && attempts.allSatisfy({ ($0.steal ?? 0) >= 10 }) {
            withKnownIssue("the hypervisor took the CPU during every attempt") { #expect(within, message) }
        } else {
            #expect(within, message)
        }
    }
}
