import NIOCore
import TierbenchCore

/// The fast path's responses that wait: streams and replies with latency, run by the loop's `StreamTicker`, after a
/// `--capacity` slot when the server has one (TTFT and latency then count from the slot's grant).
extension MockFastPathHandler {
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }

    /// A scheduled write: no flush (the ticker flushes each connection once per tick).
    func writeScheduled(_ bytes: ByteBuffer) {
        context?.write(wrapOutboundOut(bytes), promise: nil)
    }

    /// The end of a tick that wrote here: one flush, then the close a `connection: close` response asked for.
    func flushScheduled() {
        guard let context else { return }
        guard closeAfterFlush else {
            context.flush()
            return
        }
        closeAfterFlush = false
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The head of a streamed response (chunked transfer coding, as Hummingbird sends it).
    func writeStreamHead(into buffer: inout ByteBuffer, env: RequestEnvironment, close: Bool) {
        let runtime = responder.runtime
        buffer.writeWithByteWriter(reserving: 192 + RequestEnvironment.headerLinesBound(runtime: runtime)) { writer in
            writer.write("HTTP/1.1 200 OK\r\n")
            env.writeHeaderLines(
                into: &writer, runtime: runtime, retryAfter: nil, contentType: "text/event-stream; charset=utf-8")
            writer.write("cache-control: no-cache\r\n")
            if close { writer.write("connection: close\r\n") }
            writer.write("transfer-encoding: chunked\r\n\r\n")
        }
    }

    /// Runs `stream` on the ticker: TTFT from the request's arrival, or from the capacity slot's grant.
    func scheduleStream(_ stream: SSEStream, close: Bool) {
        let runtime = responder.runtime
        let task = TickStream(stream, connection: self) { [self] written in
            releaseSlot()
            runtime.stats.end()
            runtime.metrics.requestFinished()
            scheduledEnded(close: close || !written)
        }
        begin(task, arrival: stream.arrival ?? MonotonicClock.now()) { start in task.firstDue(from: start) }
    }

    /// Writes `reply` `wallSeconds` after the request's arrival (or the capacity slot's grant).
    func scheduleReply(_ reply: MockReply, wallSeconds: Double, env: RequestEnvironment, close: Bool) {
        let responder = self.responder
        let task = DelayedReply(reply, env: env, runtime: responder.runtime, connection: self, close: close) {
            [self] written in
            releaseSlot()
            responder.finish(env: env, status: reply.status)
            scheduledEnded(close: close || !written)
        }
        begin(task, arrival: env.start) { start in start &+ TickStream.nanoseconds(wallSeconds) }
    }

    /// Schedules `task` at the due time `due` gives from its start: the arrival, or — with a capacity limit — the
    /// moment a slot is granted (FIFO with Hummingbird's waiters; the grant hops back to this loop).
    private func begin(_ task: any TickTask, arrival: UInt64, _ due: @escaping (UInt64) -> UInt64) {
        guard let ticker else { return }
        busy = true
        scheduled = task
        let gate = responder.runtime.gate
        let start = { [self] (start: UInt64) in
            waitingGrant = nil
            holdsSlot = gate != nil
            // A connection that went away while queued gives its slot back at once.
            ticker.schedule(task, at: isOpen ? due(start) : start)
        }
        guard let gate else { return start(arrival) }
        let loop = ticker.eventLoop
        let bound = NIOLoopBound(start, eventLoop: loop)
        // The grant's time is taken where it happens, before the hop back to this loop.
        waitingGrant = gate.acquire(onGrant: {
            let granted = MonotonicClock.now()
            loop.execute { bound.value(granted) }
        })
        if waitingGrant == nil { start(MonotonicClock.now()) }
    }

    /// Gives the capacity slot back, once.
    private func releaseSlot() {
        guard holdsSlot else { return }
        holdsSlot = false
        responder.runtime.gate?.release()
    }

    /// The connection went away: the pending response ends now — its slot, or its place in the capacity queue, and
    /// its in-flight count are freed at once; its heap entry stays until its due time and then does nothing. (A
    /// grant already handed over still arrives; its task then ends at the next tick.)
    func abandonScheduled() {
        guard let task = scheduled else { return }
        if let id = waitingGrant {
            guard let gate = responder.runtime.gate, gate.cancel(id) else { return }
            waitingGrant = nil
        }
        task.connectionClosed()
    }

    /// A scheduled response ended: the connection reads on (requests that waited behind it are answered now), or
    /// closes once its bytes are out.
    private func scheduledEnded(close: Bool) {
        connectionGuard?.responseEnded()
        busy = false
        scheduled = nil
        guard isOpen, let context else { return }
        if close {
            mode = .closing
            pending = nil
            closeAfterFlush = true
            if !flushQueued { flushScheduled() }
            return
        }
        // Requests that waited behind it are answered after the tick (its flush and lag record come first); then the
        // socket is read again, or — the client closed its side meanwhile — closed once the answers are out.
        guard pending != nil || inputClosed || readingHeld else { return }
        context.eventLoop.assumeIsolated().execute { [self] in
            guard isOpen, !busy, case .answering = mode, let context = self.context else { return }
            if let waiting = pending {
                pending = nil
                consume(waiting, context: context)
            }
            guard !busy else { return }  // another scheduled response: reading stays held
            switch mode {
            case .answering:
                // After a half-close a partial request left in `pending` can never complete.
                if inputClosed { return closeWhenWritten(context: context) }
                resumeReading(context: context)
            case .passing:
                resumeReading(context: context)
                if inputClosed { context.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
            case .closing:
                break
            }
        }
    }
}
