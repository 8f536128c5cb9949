import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// Retries against the built-in mock, checked against what the mock itself counted and against its rate-limit
/// arithmetic. Each run is bounded (≤ ~3 s).
@Suite("Retries against the mock", .serialized)
struct RetryTests {
    @Test("the engine waits what retry-after-ms says (within 10 ms) and the retry then succeeds")
    func waitsRetryAfter() async throws {
        // rpm 2 at time_scale 100: the bucket holds 2 requests and refills one per 30 real s = 300 ms wall clock.
        // With one worker, requests 0 and 1 pass; every later request meets an empty bucket and gets a 429 whose
        // retry-after-ms is exactly (used + 1 − limit) × 60 s / 2 / 100 = 300 ms; after that wait, one unit has
        // refilled, so the retry passes. Waiting less would draw a second 429.
        let scenario = try TestScenario("""
            version: 1
            name: retry-after
            prompts: { inline: ["hello"] }
            load: { max_workers: 1, requests: 6 }
            retry: { max_attempts: 3, base: 5s, cap: 5s }
            mock: { time_scale: 100, limits: { rpm: 2 } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let summary = report.summary
        #expect(summary.requests.succeeded == 6)
        let log = try scenario.requestLog().sorted { ($0["i"] as? Int ?? 0) < ($1["i"] as? Int ?? 0) }
        #expect(log.count == 6)
        for line in log.prefix(2) { #expect(line["attempts"] == nil) }
        for line in log.dropFirst(2) {
            #expect(line["attempts"] as? Int == 2, "\(line)")
            #expect(line["retries"] as? [String] == ["http_429"])
            let backoff = try #require(line["backoff_ms"] as? Double)
            // Base and cap are 5 s, so a wait near 300 ms can only come from the header.
            #expect(backoff >= 300 && backoff <= 310, "waited \(backoff) ms for retry-after-ms: 300")
        }
        let retries = try #require(summary.retries)
        #expect(retries.attempts == 10)
        #expect(retries.byCause == ["http_429": 4])
        #expect(retries.backoffTotalMs >= 1_200 && retries.backoffTotalMs <= 1_240)
        #expect(abs(retries.firstAttemptErrorRate - 4.0 / 6) < 1e-6)
        #expect(retries.finalErrorRate == 0)
        // Whole-request latency includes the 300 ms wait; the final attempt's does not.
        #expect(retries.requestLatencyMs.max >= 300)
        #expect(retries.finalAttemptLatencyMs.max < 250)  // a zero-latency answer; generous for a loaded machine
        let mock = try #require(report.mockStats)
        #expect(mock.requests == 10)
        #expect(mock.rateLimited == 4)
    }

    @Test("400 is never retried, even with attempts to spare")
    func badRequestNotRetried() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: no-retry-400
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, requests: 20 }
            retry: { max_attempts: 4, base: 1ms, cap: 2ms }
            mock: { faults: { status_rates: { 400: 1 } } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.statusCounts == ["400": 20])
        let retries = try #require(report.summary.retries)
        #expect(retries.attempts == 20)
        #expect(retries.retries == 0)
        #expect(retries.attemptErrorRate == 1)
        #expect(try #require(report.mockStats).requests == 20)
    }

    @Test("known 5xx rates: attempts, causes and both error rates match the mock's counts and the binomial truth")
    func faultRates() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: retry-5xx
            prompts: { inline: ["hello"] }
            load: { max_workers: 8, requests: 1000 }
            retry: { max_attempts: 3, base: 1ms, cap: 2ms }
            mock: { faults: { status_rates: { 500: 0.2, 503: 0.1 } } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let summary = report.summary
        let retries = try #require(summary.retries)
        let mock = try #require(report.mockStats)
        // Ground truth from the server's side: every attempt reached it, every 5xx it sent was retried or final.
        #expect(retries.attempts == mock.requests)
        #expect(summary.requests.succeeded == mock.byStatus["200"])
        let served5xx = (mock.byStatus["500"] ?? 0) + (mock.byStatus["503"] ?? 0)
        #expect((retries.byCause["http_5xx"] ?? 0) + (summary.errors["http_5xx"] ?? 0) == served5xx)
        #expect(retries.byCause.keys.sorted() == ["http_5xx"])
        #expect(retries.failedAttempts == served5xx)
        // Each attempt fails with p = 0.3: first-attempt and per-attempt error rates ≈ 0.3 (σ ≈ 0.015 at n = 1000),
        // final error rate ≈ 0.3³ = 0.027 (σ ≈ 0.005).
        #expect(abs(retries.firstAttemptErrorRate - 0.3) < 0.06, "\(retries.firstAttemptErrorRate)")
        #expect(abs(retries.attemptErrorRate - 0.3) < 0.06, "\(retries.attemptErrorRate)")
        #expect(abs(retries.finalErrorRate - 0.027) < 0.02, "\(retries.finalErrorRate)")
        #expect(retries.finalErrorRate == summary.errorRate)
        // Backoff: two retries wait at most 2 × cap (2 ms) plus loop lateness; far below the 1 s a missed wake-up
        // would cost. The jitter bounds themselves are tested exactly in the core (LoadRetryThrottleTests).
        #expect(retries.backoffMs.count == retries.retriedRequests)
        #expect(retries.backoffMs.max < 2 * 2 + 200)
    }
}
