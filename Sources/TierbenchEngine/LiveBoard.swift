import Synchronization
import TierbenchCore

/// Where load threads post their live counters, a few times a second, for monitors on other threads
/// (`ThresholdMonitor` for `abort_on_fail`).
///
/// A load thread publishes from its completion callback at most once per `interval`; the per-request cost is one
/// comparison of two integers; a post copies the counters (the status array is copy-on-write, so the thread's next
/// record copies its 4 KB once per post). A monitor reads the sum of every thread's latest copy.
final class LiveBoard: Sendable {
    /// Minimum time between two posts of one thread (ns): 200 ms.
    let interval: UInt64
    private let slots: Mutex<[LiveCounters]>

    init(threads: Int, interval: UInt64 = 200_000_000) {
        self.interval = interval
        slots = Mutex([LiveCounters](repeating: LiveCounters(), count: max(1, threads)))
    }

    /// Replaces thread `index`'s counters.
    func publish(_ counters: LiveCounters, thread index: Int) {
        slots.withLock { slots in
            if index < slots.count { slots[index] = counters }
        }
    }

    /// Every thread's latest counters, summed.
    func total() -> LiveCounters {
        slots.withLock { slots in
            var sum = LiveCounters()
            for counters in slots { sum.merge(counters) }
            return sum
        }
    }
}
