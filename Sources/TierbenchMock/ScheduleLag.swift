import Synchronization
import TierbenchCore

/// How late the mock's scheduled writes were: the lateness (actual write − due time, µs) of every stream chunk and
/// delayed response, in an HdrHistogram, and the count of writes more than 1 ms late (docs/mock.md, "Schedule lag").
///
/// Each event loop's `StreamTicker` owns one and records a whole tick's writes under one uncontended lock; the
/// Hummingbird path (faults, capacity) records into the runtime's shared one. `MockRuntime.snapshot()` merges them.
final class ScheduleLag: Sendable {
    /// A write later than this (strictly) counts in `MockStats.lateWrites`.
    static let lateNanoseconds: UInt64 = 1_000_000

    private struct State {
        var histogram = DurationHistogram()
        var late = 0
        /// Since the start, not reset (the /metrics counters).
        var lifetimeWrites = 0
        var lifetimeLate = 0
    }

    private let state = Mutex(State())

    /// Records one write's lateness (`written` − `due`, 0 when early).
    func record(due: UInt64, written: UInt64) {
        record(lateness: written > due ? written - due : 0)
    }

    /// Records one write's lateness in nanoseconds.
    func record(lateness: UInt64) {
        state.withLock { state in
            state.histogram.record(nanoseconds: lateness)
            state.lifetimeWrites &+= 1
            if lateness > Self.lateNanoseconds {
                state.late &+= 1
                state.lifetimeLate &+= 1
            }
        }
    }

    /// Records a batch of latenesses (ns) at once: one lock per tick.
    func record(latenesses: [UInt64]) {
        guard !latenesses.isEmpty else { return }
        state.withLock { state in
            for lateness in latenesses {
                state.histogram.record(nanoseconds: lateness)
                if lateness > Self.lateNanoseconds {
                    state.late &+= 1
                    state.lifetimeLate &+= 1
                }
            }
            state.lifetimeWrites &+= latenesses.count
        }
    }

    /// Adds this recorder's figures to `histogram` and `late`.
    func merge(into histogram: inout DurationHistogram, late: inout Int) {
        state.withLock { state in
            histogram.merge(state.histogram)
            late &+= state.late
        }
    }

    /// Writes and late writes since the start (not reset).
    var lifetime: (writes: Int, late: Int) { state.withLock { ($0.lifetimeWrites, $0.lifetimeLate) } }

    /// Forgets what was recorded (`/mock/stats/reset`); the lifetime totals stay.
    func reset() {
        state.withLock { state in
            state.histogram = DurationHistogram()
            state.late = 0
        }
    }
}
