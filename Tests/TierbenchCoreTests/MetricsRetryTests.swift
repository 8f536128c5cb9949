import Foundation
import Testing
@testable import TierbenchCore

/// Retry reporting against hand-computed ground truth: attempts, causes, backoff, both latencies, both error rates.
struct MetricsRetryTests {
    static let ms: UInt64 = 1_000_000

    /// Four measured requests (times in ms since the run's start):
    /// - 0: one attempt, sent on time at 0, ends at 20 → succeeded.
    /// - 1: intended 10, first attempt sent at 12 (2 ms late), 429 at 15, retried at 115 (100 ms backoff), 503 at
    ///   118, retried at 318 (200 ms), ends at 338 → succeeded after 3 attempts.
    /// - 2: sent at 20, times out at 60, retried at 160 (100 ms), ends at 190 → succeeded after 2 attempts.
    /// - 3: sent at 30, 400 at 31 → failed, not retried.
    static func outcomes() -> [RequestOutcome] {
        [
            RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 20 * ms, status: 200),
            RequestOutcome(
                index: 1, intendedStart: 10 * ms, actualStart: 318 * ms, end: 338 * ms, status: 200, attempts: 3,
                firstStart: 12 * ms, retryCauses: [.rateLimited, .http5xx], backoff: 300 * ms),
            RequestOutcome(
                index: 2, intendedStart: 20 * ms, actualStart: 160 * ms, end: 190 * ms, status: 200, attempts: 2,
                firstStart: 20 * ms, retryCauses: [.timeout], backoff: 100 * ms),
            RequestOutcome(index: 3, intendedStart: 30 * ms, actualStart: 30 * ms, end: 31 * ms, status: 400,
                           errorClass: .http4xx),
        ]
    }

    @Test func recorderCountsAttemptsCausesAndBackoff() {
        var recorder = MetricsRecorder()
        for outcome in Self.outcomes() { recorder.record(outcome) }
        #expect(recorder.total == 4)
        #expect(recorder.attempts == 7)
        #expect(recorder.retriedRequests == 2)
        #expect(recorder.firstAttemptFailures == 3)
        #expect(recorder.retryCauses.byLabel == ["http_429": 1, "http_5xx": 1, "timeout": 1])
        #expect(recorder.backoffTotalNanos == 400 * Self.ms)
        #expect(recorder.backoff.count == 2)
        // Lateness is the first attempt's: 0, 2, 0, 0 ms — never the backoff.
        #expect(recorder.sendLateness.maxMicros == 2_000)
        // Final attempt: 20, 20, 30 ms; whole request: 20, 326, 170 ms.
        #expect(recorder.latency.maxMicros == 30_000)
        #expect(recorder.requestLatency.maxMicros == 326_000)
        #expect(recorder.requestLatency.minMicros == 20_000)
        // Sends count the first attempts: 0 … 30 ms.
        #expect(recorder.firstSend == 0)
        #expect(recorder.lastSend == 30 * Self.ms)
    }

    @Test func summaryBlockHasEveryFigure() throws {
        var recorder = MetricsRecorder()
        for outcome in Self.outcomes() { recorder.record(outcome) }
        let retries = RetrySummary(recorder)
        #expect(retries.attempts == 7)
        #expect(retries.retries == 3)
        #expect(retries.retriedRequests == 2)
        #expect(retries.byCause == ["http_429": 1, "http_5xx": 1, "timeout": 1])
        #expect(retries.failedAttempts == 4)  // 7 attempts, 3 successes
        #expect(abs(retries.attemptErrorRate - 4.0 / 7) < 1e-6)
        #expect(retries.firstAttemptErrorRate == 0.75)
        #expect(retries.finalErrorRate == 0.25)
        #expect(retries.backoffTotalMs == 400)
        #expect(retries.backoffMs.count == 2)
        #expect(retries.backoffMs.min == 100)
        #expect(retries.backoffMs.max == 300)
        #expect(retries.backoffMs.mean == 200)
        #expect(retries.requestLatencyMs.count == 3)
        #expect(retries.requestLatencyMs.max == 326)
        #expect(abs(retries.requestLatencyMs.mean - 172) < 0.001)  // (20 + 326 + 170) / 3
        #expect(retries.finalAttemptLatencyMs.max == 30)
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z")
        #expect(summary.retries == retries)
        let decoded = try RunSummary.decode(summary.jsonData())
        #expect(decoded.retries == retries)
        let console = ConsoleSummary.render(summary, color: false)
        #expect(console.contains("3 retries (http_429 × 1 · http_5xx × 1 · timeout × 1)"))
        #expect(console.contains("attempt error rate 57.14 % · final 25.00 %"))
        #expect(console.contains("  request "))
    }

    @Test func requestLogLineCarriesRetryFields() {
        let line = RequestLogLine.line(Self.outcomes()[1], runStartUnixNanos: 0)
        #expect(line.contains(#""attempts":3,"request_latency_ms":326.000,"backoff_ms":300.000"#))
        #expect(line.contains(#""retries":["http_429","http_5xx"]"#))
        let plain = RequestLogLine.line(Self.outcomes()[0], runStartUnixNanos: 0)
        #expect(!plain.contains("attempts") && !plain.contains("retries") && !plain.contains("backoff"))
    }
}
