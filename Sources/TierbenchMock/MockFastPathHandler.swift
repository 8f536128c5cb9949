import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import TierbenchCore

/// Answers requests that need no waiting right on the event loop: no Swift task, no header conversion, one write.
///
/// `MockFastPathInstaller` (added by Hummingbird's HTTP/1 channel setup) places this handler right after NIO's HTTP
/// decoder. When the server has no faults and no capacity limit, API requests are buffered here; once a request is
/// complete the same pipeline code as the Hummingbird responder runs synchronously (auth, parse, model, quota and
/// rate limits, generation) and the whole response is written as bytes through `RawOutputHandler`. Anything that
/// must wait — a stream, a model with latency, the observability routes — is passed on to Hummingbird unchanged.
/// While a passed-on request is being answered, later requests on the connection follow it, so HTTP/1.1 responses
/// stay in order.
final class MockFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// Collecting a request the fast path may answer.
        case buffering(head: HTTPRequestHead, route: MockRoute, body: ByteBuffer, tooLarge: Bool)
        /// Passing the current request on to Hummingbird.
        case forwarding
    }

    private let responder: MockResponder
    private let output: RawOutputHandler
    private var state = State.idle
    /// Requests passed on whose response has not ended yet.
    private var forwardedOpen = 0
    /// Requests this handler answered on the connection.
    private var answered = 0

    init(responder: MockResponder, output: RawOutputHandler) {
        self.responder = responder
        self.output = output
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let route = MockRoute(
                isGet: head.method == .GET || head.method == .HEAD, isPost: head.method == .POST,
                path: Substring(head.uri))
            if forwardedOpen == 0 && head.method != .HEAD && responder.runtime.allowsFastPath && route.takesFastPath {
                state = .buffering(head: head, route: route, body: ByteBuffer(), tooLarge: false)
            } else {
                forwardedOpen += 1
                state = .forwarding
                context.fireChannelRead(data)
            }
        case .body(var chunk):
            guard case .buffering(let head, let route, var body, let tooLarge) = state else {
                context.fireChannelRead(data)
                return
            }
            state = .idle  // drop the state's reference so the append below does not copy
            let fits = !tooLarge && body.readableBytes + chunk.readableBytes <= responder.runtime.settings.maxBodyBytes
            if fits { body.writeBuffer(&chunk) } else { body.clear() }
            state = .buffering(head: head, route: route, body: body, tooLarge: !fits)
        case .end:
            guard case .buffering(let head, let route, let body, let tooLarge) = state else {
                state = .idle
                context.fireChannelRead(data)
                return
            }
            state = .idle
            answer(head: head, route: route, body: body, tooLarge: tooLarge, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), forwardedOpen > 0 { forwardedOpen -= 1 }
        context.write(data, promise: promise)
    }

    private func answer(
        head: HTTPRequestHead, route: MockRoute, body: ByteBuffer, tooLarge: Bool, context: ChannelHandlerContext
    ) {
        let runtime = responder.runtime
        runtime.stats.begin()
        runtime.metrics.requestStarted()
        var env = RequestEnvironment(
            runtime: runtime, authorization: head.headers.first(name: "authorization"),
            retryCount: head.headers.first(name: "x-stainless-retry-count"), route: route)
        let reply: MockReply
        do {
            guard let instant = try responder.instantReply(route: route, body: body, tooLarge: tooLarge, env: &env) else {
                // It has to wait after all: hand the whole request to Hummingbird.
                runtime.stats.end()
                runtime.metrics.requestFinished()
                forwardedOpen += 1
                context.fireChannelRead(wrapInboundOut(.head(head)))
                if body.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(body))) }
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                return
            }
            reply = instant
        } catch {
            reply = responder.errorReply(error, env: &env)
        }
        // Like nginx's keepalive_requests: a long-lived connection is closed after a bounded number of requests,
        // which bounds the memory a connection holds on to.
        answered += 1
        let limit = runtime.settings.keepAliveRequests
        let close = !head.isKeepAlive || (limit > 0 && answered >= limit)
        var bytes = context.channel.allocator.buffer(capacity: reply.body.readableBytes + 512)
        reply.write(into: &bytes, env: env, runtime: runtime, close: close)
        responder.finish(env: env, status: reply.status)
        output.writeAndFlush(bytes, thenClose: close)
    }
}

@available(*, unavailable)
extension MockFastPathHandler: Sendable {}

/// Sits at the head of the pipeline and passes bytes through; the fast path writes whole responses from here,
/// past the HTTP encoder.
final class RawOutputHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes and flushes `bytes` straight to the socket; closes the connection afterwards when asked.
    func writeAndFlush(_ bytes: ByteBuffer, thenClose close: Bool) {
        guard let context else { return }
        if close {
            let promise = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(bytes)), promise: promise)
            let channel = context.channel
            promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
        }
    }
}

@available(*, unavailable)
extension RawOutputHandler: Sendable {}

/// Added by Hummingbird's HTTP/1 setup (after its codec); installs `RawOutputHandler` at the head of the pipeline
/// and `MockFastPathHandler` right after NIO's HTTP decoder, then only passes data on. If the pipeline does not
/// look as expected, nothing is installed and every request goes through Hummingbird.
final class MockFastPathInstaller: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let responder: MockResponder

    init(responder: MockResponder) {
        self.responder = responder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard responder.runtime.allowsFastPath else { return }
        let operations = context.pipeline.syncOperations
        guard let decoder = try? operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self) else { return }
        let output = RawOutputHandler()
        do {
            try operations.addHandler(output, position: .first)
            try operations.addHandler(MockFastPathHandler(responder: responder, output: output), position: .after(decoder))
        } catch {
            return
        }
    }
}

@available(*, unavailable)
extension MockFastPathInstaller: Sendable {}

extension MockResponder {
    /// The reply to a request that needs no waiting, computed synchronously; nil when it must go through the
    /// asynchronous pipeline (streams, models with latency). Decided before anything is charged.
    func instantReply(
        route: MockRoute, body: ByteBuffer, tooLarge: Bool, env: inout RequestEnvironment
    ) throws(MockAPIError) -> MockReply? {
        try authenticate(env: env)
        switch route {
        case .models:
            env.rateHeaders = peekRateHeaders(env: env)
            return modelsReply(env: env)
        case .model(let id):
            guard let model = runtime.models.model(id) else { throw .modelNotFound(id) }
            env.rateHeaders = peekRateHeaders(env: env)
            return modelReply(model, env: env)
        default:
            break
        }
        if tooLarge { throw .bodyTooLarge(limit: runtime.settings.maxBodyBytes) }
        switch route {
        case .chat:
            let request = try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in try ChatRequest.parse(bytes) }
            guard !request.stream, runtime.answersInstantly(model: request.model) else { return nil }
            let admitted = try admitChat(request, env: &env)
            guard case .body(let output, _) = chatOutput(request, admitted: admitted, fault: .none, env: &env) else {
                return nil
            }
            return env.jsonReply(output)
        case .completions:
            let request = try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in
                try CompletionRequest.parse(bytes)
            }
            guard !request.stream, runtime.answersInstantly(model: request.model) else { return nil }
            let admitted = try admitCompletions(request, env: &env)
            guard case .body(let output, _) = completionsOutput(request, admitted: admitted, fault: .none, env: &env)
            else { return nil }
            return env.jsonReply(output)
        case .embeddings:
            let request = try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in
                try EmbeddingRequest.parse(bytes)
            }
            guard runtime.answersInstantly(model: request.model) else { return nil }
            let admitted = try admitEmbeddings(request, env: &env)
            return env.jsonReply(embeddingsBody(request, admitted: admitted, env: &env))
        default:
            return nil
        }
    }
}
