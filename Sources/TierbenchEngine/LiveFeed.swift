import Synchronization
import TierbenchCore

/// Where the load threads publish what they have measured so far, a few times a second, for the progress display,
/// `alerts:` and `--metrics-port`. Each thread writes its own slot; readers merge the slots.
///
/// Publishing copies the thread's counters under a lock held for a few nanoseconds; the copy shares the latency
/// histogram's storage until the thread next records (copy-on-write), so the cost is one histogram copy per
/// publish interval, never anything per request.
final class LiveFeed: Sendable {
    /// How often a load thread publishes (ns).
    static let publishIntervalNanos: UInt64 = 250_000_000

    private let slots: Mutex<[LiveCounters]>
    /// Monotonic ns of the run's start, once the load threads have taken it.
    private let origin = Mutex<UInt64?>(nil)

    init(threads: Int) {
        slots = Mutex(Array(repeating: LiveCounters(), count: max(threads, 1)))
    }

    /// Notes the run's start (monotonic ns); every live figure's elapsed time counts from it.
    func markStart(_ runStart: UInt64) {
        origin.withLock { $0 = $0 ?? runStart }
    }

    /// The run's start, or nil before the load threads took it.
    var runStart: UInt64? { origin.withLock { $0 } }

    /// Replaces thread `thread`'s counters.
    func publish(thread: Int, _ counters: LiveCounters) {
        slots.withLock { slots in
            if thread < slots.count { slots[thread] = counters }
        }
    }

    /// Every thread's counters, merged.
    func merged() -> LiveCounters {
        let copies = slots.withLock { $0 }
        var total = LiveCounters()
        for counters in copies { total.merge(counters) }
        return total
    }
}
