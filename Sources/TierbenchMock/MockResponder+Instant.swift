import Hummingbird
import NIOCore
import TierbenchCore

/// What the fast path sends for a request it takes.
enum FastReply {
    /// A complete reply, now.
    case now(MockReply)
    /// A complete reply due `wallSeconds` after its start: the request's arrival, or with a capacity limit the
    /// grant of its slot (written by the connection's `StreamTicker`).
    case later(MockReply, wallSeconds: Double)
    /// A stream (run by the connection's `StreamTicker`; TTFT from the arrival, or from the slot's grant).
    case stream(SSEStream)
}

extension MockResponder {
    /// The fast path's answer, computed synchronously through the one pipeline (parse → admit → output); nil when
    /// the request must go through Hummingbird (the server injects faults, or the route is not a generation or
    /// model route). Decided before anything is charged.
    func fastReply(
        route: MockRoute, body: ByteBuffer, tooLarge: Bool, env: inout RequestEnvironment
    ) throws(MockAPIError) -> FastReply? {
        try authenticate(env: env)
        switch route {
        case .models:
            env.rateHeaders = peekRateHeaders(env: env)
            return .now(modelsReply(env: env))
        case .model(let id):
            guard let model = runtime.models.model(id) else { throw .modelNotFound(id) }
            env.rateHeaders = peekRateHeaders(env: env)
            return .now(modelReply(model, env: env))
        default:
            break
        }
        if tooLarge { throw .bodyTooLarge(limit: runtime.settings.maxBodyBytes) }
        guard runtime.allowsFastPath, let request = try parse(route: route, body: body) else { return nil }
        let admitted = try admit(request, pool: .sync, env: &env)
        switch output(request, admitted: admitted, fault: .none, env: &env) {
        case .stream(let stream):
            return .stream(stream)
        case .body(let bytes, let outputTokens):
            let reply = env.jsonReply(bytes)
            if runtime.answersInstantly(model: admitted.model.id) { return .now(reply) }
            let real = responseSeconds(model: admitted.model.id, outputTokens: outputTokens, env: &env)
            // No latency for this reply (a streaming-only latency model) and no `--capacity` slot to queue for: no
            // timer. With a capacity limit it still waits for a slot, like every generation.
            if runtime.gate == nil && real <= 0 { return .now(reply) }
            return .later(reply, wallSeconds: runtime.wallSeconds(real))
        }
    }

    /// The reply to a request that needs no waiting; nil when it needs waiting or Hummingbird (tests use it to
    /// drive the pipeline without a socket).
    func instantReply(
        route: MockRoute, body: ByteBuffer, tooLarge: Bool, env: inout RequestEnvironment
    ) throws(MockAPIError) -> MockReply? {
        guard case .now(let reply) = try fastReply(route: route, body: body, tooLarge: tooLarge, env: &env) else {
            return nil
        }
        return reply
    }
}
