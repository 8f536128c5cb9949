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
