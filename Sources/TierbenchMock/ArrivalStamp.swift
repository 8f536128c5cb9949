import NIOCore
import Synchronization
import TierbenchCore

/// When the bytes of a connection's current request began to arrive (monotonic ns), so the mock's latency and TTFT
/// count from the socket rather than from the moment Hummingbird hands over the request — the HTTP decoder and the
/// router take about 1 ms in a debug build, which the configured TTFT would otherwise gain.
///
/// `ArrivalStampHandler` marks the first read after the last response write and clears the mark on every write, so a
/// body's later reads (which come before the response) never stand in for the next request's arrival.
final class ArrivalStamp: Sendable {
    /// 0 = no request bytes since the last write.
    private let nanos = Atomic<UInt64>(0)

    /// Marks `now` unless a read since the last write already did.
    func mark(_ now: UInt64) {
        _ = nanos.compareExchange(expected: 0, desired: now, ordering: .relaxed)
    }

    /// Forgets the mark: a response is going out.
    func clear() {
        nanos.store(0, ordering: .relaxed)
    }

    /// The mark, cleared; nil when there is none.
    func take() -> UInt64? {
        let value = nanos.exchange(0, ordering: .relaxed)
        return value == 0 ? nil : value
    }
}

/// Stamps request arrivals into an `ArrivalStamp`; sits before NIO's HTTP decoder and passes every event on untouched.
final class ArrivalStampHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    let stamp = ArrivalStamp()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        stamp.mark(MonotonicClock.now())
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        stamp.clear()
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension ArrivalStampHandler: Sendable {}

extension Channel {
    /// When the request now being handled on this connection began to arrive (monotonic ns), read on the event loop;
    /// nil without an `ArrivalStampHandler` or a mark.
    func requestArrival() async -> UInt64? {
        let stamp = try? await pipeline.handler(type: ArrivalStampHandler.self).map { $0.stamp }.get()
        return stamp?.take()
    }
}
