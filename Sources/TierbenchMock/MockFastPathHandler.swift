import NIOCore
import NIOHTTP1
import TierbenchCore

/// Answers API requests right on the event loop, from the socket's bytes: no HTTP decoder, no header objects, no
/// Swift task.
///
/// `MockFastPathInstaller` puts this handler at the head of each connection's pipeline, before NIO's HTTP decoder,
/// when the server injects no faults. It reads each request head with `RawRequestHead`, waits for the body
/// (`Content-Length`) and runs the one pipeline synchronously (`MockResponder.fastReply`: auth, parse, model, quota
/// and rate limits, generation). A reply that needs no waiting is written whole, one write per batch of requests
/// read. A stream or a reply with latency (or one waiting for a `--capacity` slot) is handed to the loop's
/// `StreamTicker` (`MockFastPathHandler+Scheduled.swift`); until it ends, later requests on the connection wait
/// unread, so HTTP/1.1 responses stay in order. The first request it cannot answer — another method or route, a
/// body over the cap, chunked encoding, `Expect`, HTTP/1.0 — is passed on from its first byte, and from then on the
/// connection belongs to NIO's decoder and Hummingbird.
final class MockFastPathHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode {
        /// Answering requests here.
        case answering
        /// Passing every byte on to the HTTP decoder.
        case passing
        /// A response with `connection: close` went out: the rest is ignored.
        case closing
    }

    let responder: MockResponder
    /// Told where each request is, for the timeouts (nil in tests that build a pipeline without it).
    let connectionGuard: ConnectionGuard?
    var mode = Mode.answering
    /// Bytes of a request that has not fully arrived yet, or of requests behind a scheduled response.
    var pending: ByteBuffer?
    /// When the first bytes of the partial request in `pending` were read (monotonic ns).
    private var partialArrival: UInt64?
    /// Requests answered on this connection (for the keep-alive cap).
    private var answered = 0
    /// The handler's context while it is in the pipeline (for the ticker's writes).
    var context: ChannelHandlerContext?
    /// This event loop's scheduler (nil until added to a pipeline).
    var ticker: StreamTicker?
    /// A stream or delayed reply is pending: requests after it are not read until it ends.
    var busy = false
    /// The connection is still open (channel inactive clears it).
    private(set) var isOpen = true
    /// Written to in the ticker's current tick, awaiting its flush.
    var flushQueued = false
    /// This connection's index in the ticker's list of connections written to in the current tick.
    var tickSlot = 0
    /// Reading was stopped (`autoRead` off) because requests came in behind a scheduled response.
    var readingHeld = false
    /// The client closed its side (`ChannelEvent.inputClosed`) while a response was pending: the connection closes
    /// once the responses owed are written.
    var inputClosed = false
    /// The scheduled response pending (nil when none).
    var scheduled: (any TickTask)?
    /// Its place in the capacity gate's queue while it waits for a slot.
    var waitingGrant: UInt64?
    /// It holds a capacity slot (released once, when it ends).
    var holdsSlot = false
    /// Close the connection once the scheduled response's bytes are written (`connection: close`).
    var closeAfterFlush = false

    init(responder: MockResponder, connectionGuard: ConnectionGuard? = nil) {
        self.responder = responder
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        ticker = responder.runtime.tickers.ticker(for: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isOpen = false
        abandonScheduled()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        abandonScheduled()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch mode {
        case .passing:
            context.fireChannelRead(data)
            return
        case .closing:
            return
        case .answering:
            break
        }
        var buffer = unwrapInboundIn(data)
        if var held = pending {
            pending = nil
            held.writeBuffer(&buffer)
            buffer = held
        }
        // A scheduled response is still being written: the requests behind it wait (HTTP/1.1 order), and nothing more
        // is read until it ends, so what waits stays bounded (by one read's bytes).
        guard !busy else {
            pending = buffer
            holdReading(context: context)
            return
        }
        consume(buffer, context: context)
    }

    /// Answers every complete request in `input`; keeps a partial one in `pending`, and stops after a request
    /// whose response is scheduled (the rest waits in `pending` until it ends).
    func consume(_ input: ByteBuffer, context: ChannelHandlerContext) {
        var buffer = input
        let now = MonotonicClock.now()
        // TTFT and latency count from a request's first read: a request that came in several reads began earlier.
        var arrival = partialArrival ?? now
        partialArrival = nil
        var output: ByteBuffer?
        var answeredHere = false
        var scheduled = false
        var partial = ConnectionGuard.Phase.between
        let settings = responder.runtime.settings
        while buffer.readableBytes > 0 {
            let parse = buffer.withUnsafeReadableBytes { RawRequestHead.parse($0) }
            guard case .head(let head) = parse else {
                if parse == .unsupported { return passOn(buffer, after: output, context: context) }
                guard buffer.readableBytes <= settings.maxHeaderBytes else {
                    return rejectHead(after: output, context: context)
                }
                pending = buffer
                partialArrival = arrival
                partial = .head
                break
            }
            guard head.headLength <= settings.maxHeaderBytes else {
                return rejectHead(after: output, context: context)
            }
            guard head.contentLength <= settings.maxBodyBytes else {
                return passOn(buffer, after: output, context: context)  // Hummingbird answers 413
            }
            let length = head.headLength + head.contentLength
            guard buffer.readableBytes >= length else {
                pending = buffer
                partialArrival = arrival
                partial = .body
                break
            }
            guard let answer = answer(head, in: buffer, arrival: arrival, into: &output, context: context) else {
                return passOn(buffer, after: output, context: context)
            }
            buffer.moveReaderIndex(forwardBy: length)
            arrival = now
            guard case .sent(let close) = answer else {
                scheduled = true
                if buffer.readableBytes > 0 { pending = buffer }
                break
            }
            answeredHere = true
            if close {
                mode = .closing
                pending = nil
                partial = .between
                break
            }
        }
        if let output { write(output, close: mode == .closing, context: context) }
        if let connectionGuard {
            if scheduled {
                if answeredHere { connectionGuard.requestsAnswered(partial: .between) }
                connectionGuard.requestHandedOn()
            } else if answeredHere {
                connectionGuard.requestsAnswered(partial: partial)
            } else if partial == .body && connectionGuard.phase == .head {
                connectionGuard.headComplete()
            }
        }
    }

    /// Writes what was answered so far, then answers 431 (the head is over `maxHeaderBytes`) and closes.
    private func rejectHead(after output: ByteBuffer?, context: ChannelHandlerContext) {
        if let output { write(output, close: false, context: context) }
        mode = .closing
        pending = nil
        connectionGuard?.reject431()
    }

    /// While answering here the handlers behind this one have been given nothing, so "read complete" is not
    /// passed on (it would walk the whole HTTP pipeline once per read for nothing).
    func channelReadComplete(context: ChannelHandlerContext) {
        if case .passing = mode { context.fireChannelReadComplete() }
    }

    /// Writes what was answered so far, then hands `buffer` (from the start of a request) and everything after it
    /// to the HTTP decoder.
    private func passOn(_ buffer: ByteBuffer, after output: ByteBuffer?, context: ChannelHandlerContext) {
        if let output { write(output, close: false, context: context) }
        mode = .passing
        pending = nil
        context.fireChannelRead(wrapInboundOut(buffer))
    }

    private func write(_ bytes: ByteBuffer, close: Bool, context: ChannelHandlerContext) {
        guard close else {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            return
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: promise)
        let channel = context.channel
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    /// What `answer` did with a request.
    enum Answer {
        /// Its whole response is in `output`; whether the connection closes after it.
        case sent(close: Bool)
        /// Its head may be in `output`; the rest is scheduled on the loop's ticker.
        case scheduled
    }

    /// Answers the request at the reader index of `buffer` into `output` (or schedules its response); nil when the
    /// request must go through Hummingbird (nothing was charged then).
    private func answer(
        _ head: RawRequestHead, in buffer: ByteBuffer, arrival: UInt64, into output: inout ByteBuffer?,
        context: ChannelHandlerContext
    ) -> Answer? {
        let runtime = responder.runtime
        let start = buffer.readerIndex
        let (route, apiKey, retry) = buffer.withUnsafeReadableBytes { bytes in
            let route = MockRoute(
                isGet: head.isGet, isPost: head.isPost, path: UnsafeRawBufferPointer(rebasing: bytes[head.path]))
            let apiKey = head.authorization.map {
                RequestEnvironment.apiKey(authorization: UnsafeRawBufferPointer(rebasing: bytes[$0]))
            } ?? ""
            let retry = head.retryCount.flatMap { RawRequestHead.decimal(bytes, $0) }.map { $0 > 0 } ?? false
            return (route, apiKey, retry)
        }
        guard route.takesFastPath, ticker != nil else { return nil }
        runtime.stats.begin()
        runtime.metrics.requestStarted()
        var env = RequestEnvironment(runtime: runtime, apiKey: apiKey, retry: retry, route: route, arrival: arrival)
        let body = buffer.getSlice(at: start + head.headLength, length: head.contentLength) ?? ByteBuffer()
        let fast: FastReply
        do {
            guard let reply = try responder.fastReply(route: route, body: body, tooLarge: false, env: &env) else {
                runtime.stats.end()
                runtime.metrics.requestFinished()
                return nil
            }
            fast = reply
        } catch {
            fast = .now(responder.errorReply(error, env: &env))
        }
        // Like nginx's keepalive_requests: a long-lived connection is closed after a bounded number of requests.
        answered += 1
        let limit = runtime.settings.keepAliveRequests
        let close = !head.keepAlive || (limit > 0 && answered >= limit)
        switch fast {
        case .now(let reply):
            var bytes = output ?? context.channel.allocator.buffer(capacity: reply.body.readableBytes + 640)
            output = nil  // keep `bytes` uniquely referenced: the write below must not copy
            reply.write(into: &bytes, env: env, runtime: runtime, close: close)
            output = bytes
            responder.finish(env: env, status: reply.status)
            return .sent(close: close)
        case .later(let reply, let wallSeconds):
            scheduleReply(reply, wallSeconds: wallSeconds, env: env, close: close)
            return .scheduled
        case .stream(let stream):
            var bytes = output ?? context.channel.allocator.buffer(capacity: 1024)
            output = nil
            writeStreamHead(into: &bytes, env: env, close: close)
            output = bytes
            responder.record(env: env, status: 200)
            scheduleStream(stream, close: close)
            return .scheduled
        }
    }
}

@available(*, unavailable)
extension MockFastPathHandler: Sendable {}

/// Added by Hummingbird's HTTP/1 setup (after its codec); puts `MockFastPathHandler` at the head of the pipeline,
/// before NIO's HTTP decoder, then only passes data on.
final class MockFastPathInstaller: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    let responder: MockResponder

    init(responder: MockResponder) {
        self.responder = responder
    }

    /// Installs the arrival stamp's two handlers, one at the head of the pipeline and one right behind NIO's HTTP/1
    /// decoder, when the server allows it the fast path before them, and the connection guard (limits and timeouts)
    /// before all: connection guard → fast path → arrival stamp → HTTP decoder → request boundaries → … → Hummingbird.
    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        let runtime = responder.runtime
        let connectionGuard = ConnectionGuard(runtime: runtime, counter: runtime.connections)
        if let decoder = try? pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) {
            let stamp = ArrivalStamp()
            try? pipeline.addHandler(ArrivalStampHandler(stamp: stamp), position: .first)
            try? pipeline.addHandler(
                RequestBoundaryHandler(stamp: stamp, connectionGuard: connectionGuard), position: .after(decoder))
        }
        if runtime.allowsFastPath {
            try? pipeline.addHandler(
                MockFastPathHandler(responder: responder, connectionGuard: connectionGuard), position: .first)
        }
        try? pipeline.addHandler(connectionGuard, position: .first)
    }
}

@available(*, unavailable)
extension MockFastPathInstaller: Sendable {}
