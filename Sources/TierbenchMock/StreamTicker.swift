import NIOCore
import Synchronization
import TierbenchCore

/// One event loop's scheduler for the mock's timed writes: every stream chunk and delayed response of the
/// connections on that loop waits in one due-time heap, and one NIO timer is armed at the earliest due time.
/// When it fires, every task due by now (plus `tolerance`) writes — without a flush — and each connection written
/// to is flushed once at the end of the tick. So 2,000 streams at 20 ms ITL cost one timer wake-up per tick and one
/// `writev` per connection, not a timer, a task hop and a flush per token.
///
/// Confined to its event loop: `schedule` and the tick run there (the fast path and the capacity gate's grant hop
/// to it). It is `@unchecked Sendable` only so the runtime's registry (`StreamTickers`) can hold it.
final class StreamTicker: @unchecked Sendable {
    /// Tasks due this soon after a tick starts run in it (one wake-up for chunks a fraction of a millisecond apart).
    static let tolerance: UInt64 = 200_000

    let eventLoop: any EventLoop
    /// Lateness of every write this loop made at a scheduled time.
    let lag = ScheduleLag()
    /// CPU time burned per SSE event written (`MockSettings.cpuBurnPerEvent`), to overload the mock on purpose.
    private let burnNanoseconds: UInt64
    private var heap = DueHeap()
    private var timer: Scheduled<Void>?
    private var timerDue: UInt64 = .max
    /// Connections written to in this tick, flushed at its end.
    private var dirty: [MockFastPathHandler] = []
    /// This tick's latenesses (ns), recorded into `lag` under one lock at its end.
    private var latenesses: [UInt64] = []

    init(eventLoop: any EventLoop, burnNanoseconds: UInt64) {
        self.eventLoop = eventLoop
        self.burnNanoseconds = burnNanoseconds
    }

    /// At most this much work (ns) runs in one tick: then the tick flushes what it wrote and the rest runs in the
    /// next one, armed at once, so an overloaded loop still sends chunks as it goes (not a whole stream in one burst).
    static let maxTickWork: UInt64 = 1_000_000

    /// This tick's writes: the due time of each, and the index (in `dirty`) of the connection it went to.
    private var dues: [(due: UInt64, connection: Int)] = []
    /// When each connection's flush in this tick returned (indexed like `dirty`).
    private var sent: [UInt64] = []
    /// Tasks overdue again, pushed back after the tick.
    private var again: [(task: any TickTask, due: UInt64)] = []

    /// Runs `task` at `due` (monotonic ns; a past time runs it at the next tick). On the event loop.
    func schedule(_ task: any TickTask, at due: UInt64) {
        heap.push(task, due: due)
        arm()
    }

    /// Writes `bytes` to `connection` without a flush (flushed at the end of the tick), noting that a write meant
    /// for `due` happened now.
    func write(_ bytes: ByteBuffer, on connection: MockFastPathHandler, due: UInt64) {
        connection.writeScheduled(bytes)
        if !connection.flushQueued {
            connection.flushQueued = true
            connection.tickSlot = dirty.count
            dirty.append(connection)
        }
        dues.append((due, connection.tickSlot))
    }

    /// Spends the configured CPU time for `events` SSE events (nothing by default).
    func burn(events: Int) {
        Self.spin(nanoseconds: burnNanoseconds &* UInt64(max(events, 0)))
    }

    /// Busy-waits `nanoseconds` (the CPU-burn setting; also used by Hummingbird's stream path).
    static func spin(nanoseconds: UInt64) {
        guard nanoseconds > 0 else { return }
        let until = MonotonicClock.now() &+ nanoseconds
        while MonotonicClock.now() < until {}
    }

    private static func lateness(due: UInt64, now: UInt64) -> UInt64 { now > due ? now - due : 0 }

    /// Arms the timer at the earliest due time, unless it is already armed at or before it.
    private func arm() {
        guard let next = heap.earliest else { return }
        if timer != nil && timerDue <= next { return }
        timer?.cancel()
        timerDue = next
        let now = MonotonicClock.now()
        let delay = next > now ? Int64(next - now) : 0
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(delay)) { [self] in tick() }
    }

    /// Runs the tasks due by the tick's start + tolerance, for at most `maxTickWork`; a task due again runs again in
    /// the tick only if that is within the tick's window (not when it is overdue: then it waits for the next tick); then flushes each connection written to once and records each write's
    /// lateness as the time its connection's flush handed the bytes to the kernel − its due time.
    private func tick() {
        timer = nil
        timerDue = .max
        let start = MonotonicClock.now()
        let horizon = start &+ Self.tolerance
        while let (task, due) = heap.pop(dueBy: horizon) {
            guard let next = task.fire(due: due, ticker: self) else { continue }
            // Due again within this tick's window (zero ITL, steps a fraction of a millisecond apart): runs again now.
            // Already overdue (the loop is behind): waits for the next tick, after this one's flush.
            if next <= horizon && next &+ Self.tolerance >= start {
                heap.push(task, due: next)
            } else {
                again.append((task, next))
            }
            if MonotonicClock.now() &- start >= Self.maxTickWork { break }
        }
        for (task, due) in again { heap.push(task, due: due) }
        again.removeAll(keepingCapacity: true)
        for connection in dirty {
            connection.flushQueued = false
            connection.flushScheduled()
            sent.append(MonotonicClock.now())
        }
        for (due, connection) in dues { latenesses.append(Self.lateness(due: due, now: sent[connection])) }
        lag.record(latenesses: latenesses)
        latenesses.removeAll(keepingCapacity: true)
        dues.removeAll(keepingCapacity: true)
        sent.removeAll(keepingCapacity: true)
        dirty.removeAll(keepingCapacity: true)
        arm()
    }
}

/// The runtime's tickers, one per event loop, created on first use.
final class StreamTickers: Sendable {
    private let tickers = Mutex<[ObjectIdentifier: StreamTicker]>([:])
    private let burnNanoseconds: UInt64

    init(burnNanoseconds: UInt64) {
        self.burnNanoseconds = burnNanoseconds
    }

    /// The ticker of `eventLoop`.
    func ticker(for eventLoop: any EventLoop) -> StreamTicker {
        tickers.withLock { tickers in
            if let ticker = tickers[ObjectIdentifier(eventLoop)] { return ticker }
            let ticker = StreamTicker(eventLoop: eventLoop, burnNanoseconds: burnNanoseconds)
            tickers[ObjectIdentifier(eventLoop)] = ticker
            return ticker
        }
    }

    /// Every loop's schedule lag.
    var lags: [ScheduleLag] { tickers.withLock { $0.values.map(\.lag) } }
}
