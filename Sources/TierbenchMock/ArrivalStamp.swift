import NIOCore
import NIOHTTP1
import Synchronization
import TierbenchCore

/// When the bytes of a connection's current request began to arrive (monotonic ns), so the mock's latency and TTFT
/// count from the socket rather than from the moment Hummingbird hands over the request — the HTTP decoder and the
/// router take about 1 ms in a debug build, which the configured TTFT would otherwise gain.
///
/// Two handlers feed it: `ArrivalStampHandler`, ahead of NIO's HTTP decoder, notes the first read after the previous
/// request's end; `RequestBoundaryHandler`, behind the decoder, gives that read to the request whose head it decodes
/// and re-arms the stamp at the request's end. So a stamp is never earlier than its request's first byte: reads of a
/// body that the mock answered early (401, 413 …) belong to that request, and a request whose first bytes came in
/// the same read as the previous one's end (pipelining) gets no early stamp but the time its head was decoded.
final class ArrivalStamp: Sendable {
    private struct State {
        /// The previous request has ended: the next read starts a new one.
        var armed = true
        /// When the first bytes of the request being read arrived.
        var pending: UInt64?
        /// The arrival of the request whose head was decoded last, until taken.
        var current: UInt64?
    }

    private let state = Mutex(State())

    /// Bytes arrived at `now`: the start of a request when the previous one has ended.
    func read(at now: UInt64) {
        state.withLock { state in
            guard state.armed else { return }
            state.armed = false
            state.pending = now
        }
    }

    /// A request's head was decoded at `now`: its arrival is the read that started it, else `now`.
    func headDecoded(at now: UInt64) {
        state.withLock { state in
            state.current = state.pending ?? now
            state.pending = nil
            state.armed = false
        }
    }

    /// The request's end was decoded: the next read starts the next request.
    func requestEnded() {
        state.withLock { state in
            state.armed = true
            state.pending = nil
        }
    }

    /// The arrival of the request whose head was decoded last, cleared; nil when there is none.
    func take() -> UInt64? {
        state.withLock { state in
            defer { state.current = nil }
            return state.current
        }
    }
}

/// Notes reads into an `ArrivalStamp`; sits before NIO's HTTP decoder and passes every byte on untouched.
final class ArrivalStampHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let stamp: ArrivalStamp

    init(stamp: ArrivalStamp) {
        self.stamp = stamp
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        stamp.read(at: MonotonicClock.now())
        context.fireChannelRead(data)
    }
}

/// Marks request heads and ends in an `ArrivalStamp` and the `ConnectionGuard`; sits behind NIO's HTTP decoder and
/// passes every part on. On the way out it tells the guard when a response has ended, closes the connection after a
/// response that says `connection: close` (the mock's 413), and turns the decoder's "header too large" into a 431.
final class RequestBoundaryHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let stamp: ArrivalStamp
    private let connectionGuard: ConnectionGuard?
    /// The response being written said `connection: close`: close once its end is written.
    private var closeAfterResponse: String?

    init(stamp: ArrivalStamp, connectionGuard: ConnectionGuard? = nil) {
        self.stamp = stamp
        self.connectionGuard = connectionGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            stamp.headDecoded(at: MonotonicClock.now())
            connectionGuard?.headComplete()
        case .body: break
        case .end:
            stamp.requestEnded()
            connectionGuard?.requestHandedOn()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let connectionGuard, let parserError = error as? HTTPParserError, parserError == .headerOverflow {
            connectionGuard.reject431()
            return
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "close" }) {
                closeAfterResponse = head.status.code == 413 ? "body_too_large" : "connection_close"
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            connectionGuard?.responseEnded()
            guard let reason = closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            closeAfterResponse = nil
            let written = promise ?? context.eventLoop.makePromise(of: Void.self)
            context.write(data, promise: written)
            let channel = context.channel
            let stats = connectionGuard?.stats
            written.futureResult.whenComplete { _ in
                if reason == "body_too_large" { stats?.recordClosed(reason) }
                channel.close(promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension ArrivalStampHandler: Sendable {}

@available(*, unavailable)
extension RequestBoundaryHandler: Sendable {}

extension Channel {
    /// When the request now being handled on this connection began to arrive (monotonic ns); nil without the
    /// handlers or a stamp. The handler is looked up on the event loop (one hop); the stamp is read here.
    func requestArrival() async -> UInt64? {
        let stamp = try? await pipeline.handler(type: RequestBoundaryHandler.self).map { $0.stamp }.get()
        return stamp?.take()
    }
}
