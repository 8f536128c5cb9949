/// Work a `StreamTicker` runs at its due time on its event loop: a stream's next chunk, a delayed response.
protocol TickTask: AnyObject {
    /// Does the work due at `due` (now or a little later: the tick's tolerance); returns when the task is next due
    /// (monotonic ns), or nil when it is done. Writes go out without a flush through `ticker.write(_:on:)`; the
    /// ticker flushes each connection once at the end of the tick.
    func fire(due: UInt64, ticker: StreamTicker) -> UInt64?

    /// The connection went away: ends the task now (its end callback with "not written": the capacity slot and the
    /// in-flight count are freed at once); it stays in the heap until its due time and then does nothing.
    func connectionClosed()
}

/// The once-only end of a scheduled response, shared by ``TickStream`` and ``DelayedReply``: calls its callback with
/// true when the response was written, false when the connection went away first — whichever comes first, once.
struct TickTaskEnd {
    private let onEnd: (Bool) -> Void
    /// The callback has been called.
    private(set) var done = false

    init(_ onEnd: @escaping (Bool) -> Void) { self.onEnd = onEnd }

    mutating func callAsFunction(written: Bool) {
        guard !done else { return }
        done = true
        onEnd(written)
    }
}
