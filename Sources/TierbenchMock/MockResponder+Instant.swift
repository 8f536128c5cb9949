import Hummingbird
import NIOCore
import TierbenchCore

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
        // The one pipeline (MockResponder+Pipeline.swift): parse → admit → respond, without waiting.
        guard let request = try parse(route: route, body: body),
            !request.stream, runtime.answersInstantly(model: request.model)
        else { return nil }
        let admitted = try admit(request, pool: .sync, env: &env)
        guard case .body(let bytes, _) = output(request, admitted: admitted, fault: .none, env: &env) else {
            return nil
        }
        return env.jsonReply(bytes)
    }
}
