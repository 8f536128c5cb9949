#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import Synchronization
import TierbenchCore

/// Open connections across the whole server, against the cap (`MockSettings.maxConnections`, at most the
/// open-file limit less a reserve).
final class ConnectionCounter: Sendable {
    let cap: Int
    private let open = Atomic<Int>(0)

    init(cap: Int) {
        self.cap = cap
    }

    /// Counts a new connection; false (and not counted) when the cap is reached.
    func admit() -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now <= cap else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }

    var count: Int { open.load(ordering: .relaxed) }

    /// The process's soft open-file limit (`RLIMIT_NOFILE`); nil when unknown or unlimited.
    static func openFileLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0, limit.rlim_cur < rlim_t(Int.max) else { return nil }  // RLIM_INFINITY is rlim_t.max
        return Int(limit.rlim_cur)
    }
}

/// Holds a connection to the mock's limits: the connection cap, the idle, header and body timeouts and the head size
/// limit (431). It sits at the very head of each connection's pipeline, before the fast path and NIO's HTTP decoder,
/// and sees the raw bytes; the handlers that parse requests tell it where each one is: the fast path
/// (`MockFastPathHandler`) for the requests it answers, `RequestBoundaryHandler` (behind NIO's decoder) for the rest.
///
/// A connection is in one of three reading phases: between requests (idle since the last response ended, or since it
/// opened; no deadline while a response is still pending), in a request's head (since its first byte, or since the
/// response it was pipelined behind ended; header timeout, and `maxHeaderBytes`), in its body (since the head ended; body timeout). One timer per
/// connection re-checks the deadline a few times per shortest timeout, so a transition costs no timer work; a
/// connection is closed between its deadline and a quarter of the shortest timeout after it.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Phase: Equatable {
        case between
        case head
        case body
    }

    struct Limits {
        var idleTimeout: Int64
        var headerTimeout: Int64
        var bodyTimeout: Int64
        var maxHeaderBytes: Int

        init(_ settings: MockSettings) {
            idleTimeout = settings.idleTimeout.nanoseconds
            headerTimeout = settings.headerTimeout.nanoseconds
            bodyTimeout = settings.bodyTimeout.nanoseconds
            maxHeaderBytes = settings.maxHeaderBytes
        }

        /// How often a connection's deadline is checked: a quarter of the shortest timeout, at least 5 ms.
        var checkInterval: Int64 { max(5_000_000, min(idleTimeout, headerTimeout, bodyTimeout) / 4) }
    }

    private let limits: Limits
    private let counter: ConnectionCounter
    private let runtime: MockRuntime
    var stats: StatsRecorder { runtime.stats }
    private(set) var phase = Phase.between
    /// When the current phase began (monotonic ns).
    private var since: UInt64
    /// Requests read in full whose response has not ended (Hummingbird's, and the fast path's scheduled ones).
    private var pendingResponses = 0
    /// Bytes of the current request's head read so far (counted per read; see `channelRead`).
    private var headBytes = 0
    /// Bytes of a next request were read while a response was pending (its head phase begins when that ends).
    private var readWhilePending = false
    /// Counts phase changes, so a read can tell whether a request began or ended inside it.
    private var transitions = 0
    private var counted = false
    /// The connection is being closed by this handler: later reads are dropped.
    private var closing = false
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(runtime: MockRuntime, counter: ConnectionCounter) {
        self.runtime = runtime
        self.limits = Limits(runtime.settings)
        self.counter = counter
        self.since = MonotonicClock.now()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { activate(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
        if counted {
            counted = false
            counter.release()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        activate(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if counted {
            counted = false
            counter.release()
        }
        context.fireChannelInactive()
    }

    private func activate(context: ChannelHandlerContext) {
        guard !counted, !closing else { return }
        guard counter.admit() else {
            // Over the cap: closed at once (the descriptor is freed; the client sees the connection end).
            closing = true
            runtime.stats.recordClosed("connection_cap")
            context.close(promise: nil)
            return
        }
        counted = true
        since = MonotonicClock.now()
        scheduleCheck(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let bytes = unwrapInboundIn(data).readableBytes
        // While a response is pending the bytes of the next request wait unparsed (the fast path stops reading
        // then): its head phase — header timeout, head size — begins when the response has ended.
        if phase == .between {
            if pendingResponses <= 0 {
                enter(.head)
            } else {
                readWhilePending = true
            }
        }
        let before = transitions
        let inHead = phase == .head
        context.fireChannelRead(data)
        guard phase == .head, !closing else { return }
        // A head that began before this read and is still incomplete grew by the whole read; one that began inside
        // it is counted from the next read on (at most one read's bytes, 64 KiB, uncounted; NIO's decoder has the
        // same limit as a backstop).
        if inHead && transitions == before {
            headBytes += bytes
            if headBytes > limits.maxHeaderBytes { reject431(context: context) }
        }
    }

    // MARK: Events from the request parsers

    /// A request's head has been read; its body (if any) follows.
    func headComplete() {
        enter(.body)
    }

    /// A request has been read in full and handed to Hummingbird, whose response is pending.
    func requestHandedOn() {
        pendingResponses += 1
        enter(.between)
    }

    /// A request has been read in full and answered (the fast path); `partial` says how far the next one has come.
    func requestsAnswered(partial: Phase) {
        enter(.between)
        if partial != .between { enter(partial) }
    }

    /// A response handed to Hummingbird has been written in full: the connection is idle from now if nothing is
    /// being read.
    func responseEnded() {
        pendingResponses -= 1
        guard phase == .between else { return }
        if pendingResponses <= 0 && readWhilePending {
            enter(.head)
        } else {
            since = MonotonicClock.now()
        }
    }

    /// Answers 431 (head too large) and closes.
    func reject431(context: ChannelHandlerContext) {
        reject(
            status: 431, reason: "Request Header Fields Too Large",
            message: "Request header fields too large: the limit is \(limits.maxHeaderBytes) bytes.",
            code: "request_header_fields_too_large", closeReason: "header_too_large", context: context)
    }

    /// The 431 for a head found too large by the fast path or NIO's decoder (reported by `RequestBoundaryHandler`).
    func reject431() {
        guard let context else { return }
        reject431(context: context)
    }

    private func enter(_ next: Phase) {
        phase = next
        since = MonotonicClock.now()
        headBytes = 0
        readWhilePending = false
        transitions &+= 1
    }

    /// Writes a complete error response (OpenAI's envelope, `connection: close`) straight to the socket and closes
    /// the connection once it is written; later reads are dropped.
    private func reject(
        status: Int, reason: String, message: String, code: String, closeReason: String, context: ChannelHandlerContext
    ) {
        guard !closing else { return }
        closing = true
        runtime.stats.recordClosed(closeReason)
        let body = MockAPIError(status: status, message: message, code: code).body()
        var buffer = context.channel.allocator.buffer(capacity: body.readableBytes + 160)
        buffer.writeString(
            "HTTP/1.1 \(status) \(reason)\r\ncontent-type: application/json\r\nconnection: close\r\n"
                + "content-length: \(body.readableBytes)\r\n\r\n")
        var bodyCopy = body
        buffer.writeBuffer(&bodyCopy)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Deadlines

    private func scheduleCheck(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(limits.checkInterval)) {
            self.check()
        }
    }

    private func check() {
        timer = nil
        guard let context, !closing, context.channel.isActive else { return }
        let elapsed = Int64(bitPattern: MonotonicClock.now() &- since)
        let expired: String?
        switch phase {
        case .between: expired = pendingResponses <= 0 && elapsed >= limits.idleTimeout ? "idle_timeout" : nil
        case .head: expired = elapsed >= limits.headerTimeout ? "header_timeout" : nil
        case .body: expired = elapsed >= limits.bodyTimeout ? "body_timeout" : nil
        }
        if let expired {
            closing = true
            runtime.stats.recordClosed(expired)
            context.close(promise: nil)
            return
        }
        scheduleCheck(context: context)
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
