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
        let gate = runtime.gate
        let task = TickStream(stream, connection: self) { [self] written in
            gate?.release()
            runtime.stats.end()
            runtime.metrics.requestFinished()
            scheduledEnded(close: close || !written)
        }
        begin(arrival: stream.arrival ?? MonotonicClock.now()) { start in (task, task.firstDue(from: start)) }
    }

    /// Writes `reply` `wallSeconds` after the request's arrival (or the capacity slot's grant).
    func scheduleReply(_ reply: MockReply, wallSeconds: Double, env: RequestEnvironment, close: Bool) {
        let responder = self.responder
        let gate = responder.runtime.gate
        let task = DelayedReply(reply, env: env, runtime: responder.runtime, connection: self, close: close) {
            [self] written in
            gate?.release()
            responder.finish(env: env, status: reply.status)
            scheduledEnded(close: close || !written)
        }
        begin(arrival: env.start) { start in (task, start &+ TickStream.nanoseconds(wallSeconds)) }
    }

    /// Schedules the task `make` builds from its start time: the arrival, or — with a capacity limit — the moment
    /// a slot is granted (FIFO with Hummingbird's waiters; the grant hops back to this loop).
    private func begin(arrival: UInt64, _ make: @escaping (UInt64) -> (any TickTask, UInt64)) {
        guard let ticker else { return }
        busy = true
        let start = { [self] (start: UInt64) in
            let (task, due) = make(start)
            // A connection that went away while queued gives its slot back at once.
            ticker.schedule(task, at: isOpen ? due : start)
        }
        guard let gate = responder.runtime.gate else { return start(arrival) }
        let loop = ticker.eventLoop
        let bound = NIOLoopBound(start, eventLoop: loop)
        if gate.acquire(onGrant: { loop.execute { bound.value(MonotonicClock.now()) } }) {
            start(MonotonicClock.now())
        }
    }

    /// A scheduled response ended: the connection reads on (requests that waited behind it are answered now), or
    /// closes once its bytes are out.
    private func scheduledEnded(close: Bool) {
        connectionGuard?.responseEnded()
        busy = false
        guard isOpen, let context else { return }
        if close {
            mode = .closing
            pending = nil
            closeAfterFlush = true
            if !flushQueued { flushScheduled() }
            return
        }
        // Requests that waited behind it are answered after the tick (its flush and lag record come first).
        guard pending != nil else { return }
        context.eventLoop.assumeIsolated().execute { [self] in
            guard isOpen, !busy, let context = self.context, let waiting = pending else { return }
            pending = nil
            consume(waiting, context: context)
        }
    }
}
