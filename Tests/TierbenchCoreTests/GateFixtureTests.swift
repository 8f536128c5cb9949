import Foundation
import Testing

@testable import TierbenchCore

/// Summaries shared by the Gate and Output tests.
enum GateFixtures {
    /// A small summary.json as JSON text, parsed with Foundation's decoder like a saved file would be.
    static func summary(
        p95: Double = 412.5, errorRate: Double = 0.004, requestsPerS: Double = 52.5, total: Int = 1000,
        failed: Int = 4, succeeded: Int? = nil, status429: Int? = 3
    ) -> JSONValue {
        let ok = succeeded ?? (total - failed)
        let statusCounts = status429.map { "{\"200\": \(ok), \"429\": \($0)}" } ?? "{\"200\": \(ok)}"
        let text = """
            {"schema_version": 1, "tool_version": "0.1.0", "scenario": {"name": "fixture"},
             "started_at": "2026-11-22T21:00:00.000Z", "ended_at": "2026-11-22T21:00:20.000Z", "duration_s": 20.5,
             "requests": {"total": \(total), "succeeded": \(ok), "failed": \(failed)},
             "error_rate": \(errorRate),
             "throughput": {"requests_per_s": \(requestsPerS), "succeeded_per_s": \(requestsPerS),
                            "tokens_per_s": 3100.25},
             "latency_ms": {"count": \(ok), "min": 120.1, "mean": 300.2, "p50": 280.0, "p90": 390.0,
                            "p95": \(p95), "p99": 700.0, "p999": 900.0, "max": 1200.0},
             "tokens": {"prompt": 11000, "completion": 50000, "total": 61000},
             "status_counts": \(statusCounts),
             "errors": {"http_429": \(status429 ?? 0), "timeout": 1},
             "generator": {"limited_by_generator": false}}
            """
        return decode(text)
    }

    /// Decodes JSON text into a `JSONValue` (test fixtures only; failures surface as `.null`).
    static func decode(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }

    /// A real `RunSummary` from a recorder: `count` requests, latencies 20…20+count ms, `failures` 429s.
    static func runSummary(count: Int = 100, failures: Int = 5) -> RunSummary {
        var recorder = MetricsRecorder()
        for index in 0..<count {
            let start = UInt64(index) * 10_000_000
            let failed = index < failures
            recorder.record(RequestOutcome(
                index: index, intendedStart: start, actualStart: start,
                end: start + UInt64(20 + index) * 1_000_000, status: failed ? 429 : 200,
                errorClass: failed ? .rateLimited : nil))
        }
        return RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .milliseconds(Double(count) * 10 + 200), scenario: .object([.init("name", .string("real"))]),
            startedAt: "2026-11-22T21:00:00.000Z", endedAt: "2026-11-22T21:00:02.000Z")
    }
}

struct GateFixtureTests {
    @Test func fixtureSummaryDecodes() {
        let summary = GateFixtures.summary()
        #expect(summary.metricValue(at: "latency_ms.p95")?.metricNumber == 412.5)
        #expect(summary.metricValue(at: "status_counts.429")?.metricNumber == 3)
    }

    @Test func runSummaryConvertsToSummaryJSON() throws {
        let json = try GateFixtures.runSummary().summaryJSON()
        #expect(json.metricValue(at: "requests.total")?.metricNumber == 100)
        #expect(json.metricValue(at: "requests.failed")?.metricNumber == 5)
        #expect(json.metricValue(at: "status_counts.429")?.metricNumber == 5)
        #expect(json.metricValue(at: "errors.http_429")?.metricNumber == 5)
        #expect((json.metricValue(at: "latency_ms.p95")?.metricNumber ?? 0) > 20)
    }
}
