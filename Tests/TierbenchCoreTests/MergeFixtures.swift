import Foundation
@testable import TierbenchCore

/// Shard summaries built from written-out timelines (no IO), for the merge tests.
enum MergeFixtures {
    static let ms: UInt64 = 1_000_000
    static let origin: Int64 = 1_800_000_000_000_000_000
    static let scenario: JSONValue = .object([
        .init("version", .int(1)), .init("name", .string("sharded")), .init("endpoint", .string("chat")),
        .init("load", .object([.init("max_workers", .int(4)), .init("rate", .int(20))])),
        .init("thresholds", .array([.string("latency_ms.p99 < 2s")])),
    ])

    /// One shard (recording its share, 10/s, of the scenario's 20/s by default): request k is sent at k × `spacingMs` (from the shard's origin) and takes `latencyMs(k)`; the first
    /// `failures` requests fail with 429. Every success carries 30 prompt and 12 completion tokens.
    static func shard(
        index: Int, count: Int, planKey: String = "plan-a", originOffsetMs: Int64 = 0, requests: Int = 100,
        spacingMs: UInt64 = 100, failures: Int = 0, targetRate: Double? = 10, firstSendOffsetMs: Double? = nil,
        sendTimes: Bool = true, latencyMs: (Int) -> UInt64
    ) -> RunSummary {
        var recorder = MetricsRecorder()
        for k in 0..<requests {
            let start = UInt64(k) * spacingMs * ms
            var outcome = RequestOutcome(
                index: k, intendedStart: start, actualStart: start, end: start + latencyMs(k) * ms, status: 200,
                usage: TokenUsage(prompt: 30, completion: 12), bytesSent: 100, bytesReceived: 400)
            if k < failures {
                outcome.status = 429
                outcome.errorClass = .rateLimited
                outcome.usage = nil
            }
            recorder.record(outcome)
        }
        let end = recorder.lastCompletion ?? 0
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: TimeSpan(nanoseconds: Int64(end)), scenario: scenario,
            startedAt: "2027-01-15T08:00:00.000Z", endedAt: "2027-01-15T08:00:10.000Z",
            generator: GeneratorInfo(loadModel: "open", targetRequestsPerS: targetRate, workers: 2, threads: 1))
        summary.shard = ShardInfo(
            index: index, count: count, source: "flag", planKey: planKey, totalWorkers: 2 * count, workers: 2,
            totalRequests: nil, requests: nil, startAt: nil, firstSendOffsetMs: firstSendOffsetMs,
            originUnixNs: origin + originOffsetMs * 1_000_000, host: "node\(index)",
            firstSendUnixNs: sendTimes ? origin + originOffsetMs * 1_000_000 : nil,
            lastSendUnixNs: sendTimes ? origin + originOffsetMs * 1_000_000 + Int64(requests - 1) * Int64(spacingMs * ms) : nil)
        return summary
    }

    /// Shard A (~10 ms, 5 failures) and shard B (~1000 ms, started 1 s later) of a 2-shard plan.
    static func skewedPair() -> [(path: String, summary: RunSummary)] {
        [
            ("a/summary.json", shard(index: 0, count: 2, failures: 5, firstSendOffsetMs: 0.4) { 10 + UInt64($0 % 7) }),
            ("b/summary.json", shard(index: 1, count: 2, originOffsetMs: 1_000, firstSendOffsetMs: 2.9) {
                1_000 + UInt64($0 % 13) * 3
            }),
        ]
    }
}
