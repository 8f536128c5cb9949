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
