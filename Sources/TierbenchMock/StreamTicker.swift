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

    /// Tasks waiting (for tests and stats).
    var pending: Int { heap.count }

    /// Runs `task` at `due` (monotonic ns; a past time runs it at the next tick). On the event loop.
    func schedule(_ task: any TickTask, at due: UInt64) {
        heap.push(task, due: due)
        arm()
    }

    /// Writes `bytes` to `connection` without a flush (flushed at the end of the tick), noting that a write meant
    /// for `due` happened now.
    func write(_ bytes: ByteBuffer, on connection: MockFastPathHandler, due: UInt64) {
        latenesses.append(Self.lateness(due: due, now: MonotonicClock.now()))
        connection.writeScheduled(bytes)
        if !connection.flushQueued {
            connection.flushQueued = true
            dirty.append(connection)
        }
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

    /// Runs every task due by now + tolerance (a task due again within it runs again), then flushes each
    /// connection written to once and records the tick's latenesses.
    private func tick() {
        timer = nil
        timerDue = .max
        var horizon = MonotonicClock.now() &+ Self.tolerance
        while let (task, due) = heap.pop(dueBy: horizon) {
            if let next = task.fire(due: due, ticker: self) { heap.push(task, due: next) }
            // Time spent writing (or burning) moves the horizon: what became due meanwhile runs now, not a tick later.
            horizon = max(horizon, MonotonicClock.now() &+ Self.tolerance)
        }
        // Recorded before the flush: a client that has its bytes finds them counted.
        lag.record(latenesses: latenesses)
        latenesses.removeAll(keepingCapacity: true)
        for connection in dirty {
            connection.flushQueued = false
            connection.flushScheduled()
        }
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
