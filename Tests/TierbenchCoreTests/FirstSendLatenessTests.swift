import Testing
@testable import TierbenchCore

/// `MetricsRecorder.firstSendLateness`: the lateness of the request sent first, which a shard records as
/// `shard.first_send_offset_ms` (docs/distributed.md).
@Suite("first send lateness")
struct FirstSendLatenessTests {
    static let ms: UInt64 = 1_000_000

    static func outcome(_ index: Int, intendedMs: UInt64, sentMs: UInt64) -> RequestOutcome {
        RequestOutcome(index: index, intendedStart: intendedMs * ms, actualStart: sentMs * ms,
                       end: (sentMs + 10) * ms, status: 200)
    }

    @Test("the request sent first gives the lateness, whatever the order of completion and of merging threads")
    func lateness() {
        // Open-loop shard 1 of 2 at 200/s: its requests are intended at 5, 15, 25 ms. Thread A sends the 15 ms one at
        // 16 ms; thread B the 5 ms one at 7.000 ms (2 ms late) and the 25 ms one at 25 ms. The first send is at 7 ms,
        // 2 ms late — not 7 ms, its distance from the start.
        var a = MetricsRecorder()
        a.record(Self.outcome(3, intendedMs: 15, sentMs: 16))
        var b = MetricsRecorder()
        b.record(Self.outcome(5, intendedMs: 25, sentMs: 25))
        b.record(Self.outcome(1, intendedMs: 5, sentMs: 7))
        #expect(b.firstSendLateness == 2 * Self.ms)
        var merged = a
        merged.merge(b)
        #expect(merged.firstSend == 7 * Self.ms && merged.firstSendLateness == 2 * Self.ms)
        var other = b
        other.merge(a)
        #expect(other.firstSendLateness == 2 * Self.ms)
        #expect(MetricsRecorder().firstSendLateness == nil)
    }
}
