import Hummingbird
import NIOCore
import TierbenchCore

/// A generation request after its route's parser: the one input the pipeline's later steps take.
enum ParsedRequest: Sendable {
    case chat(ChatRequest)
    case completions(CompletionRequest)
    case embeddings(EmbeddingRequest)

    var model: String {
        switch self {
        case .chat(let request): return request.model
        case .completions(let request): return request.model
        case .embeddings(let request): return request.model
        }
    }

    var stream: Bool {
        switch self {
        case .chat(let request): return request.stream
        case .completions(let request): return request.stream
        case .embeddings: return false
        }
    }
}

/// Which limits a request is admitted against.
enum AdmissionPool: Sendable {
    /// A synchronous request: spend budget, then the RPM/TPM/RPD/TPD buckets.
    case sync
    /// A batch line: the spend budget only (OpenAI's batch pool does not consume sync rate limits; the batch queue
    /// limit is checked per batch when it is validated).
    case batch
}

/// The mock's one pipeline for generation endpoints: **parse** the route's body → **admit** against the tier
/// (model, context length, spend budget and — for synchronous requests — the rate limits) → **respond** (faults,
/// latency, generated body). Hummingbird's routes (`MockResponder.handle`), the raw fast path (`instantReply`) and a
/// batch line (`batchLineReply`) all go through these three steps.
extension MockResponder {
    /// Step 1: the route's parser (a 400 in OpenAI's envelope for a bad body). nil for non-generation routes.
    func parse(route: MockRoute, body: ByteBuffer) throws(MockAPIError) -> ParsedRequest? {
        switch route {
        case .chat:
            let segments = runtime.prefixCache != nil
            return .chat(try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in
                try ChatRequest.parse(bytes, segments: segments)
            })
        case .completions:
            return .completions(
                try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in try CompletionRequest.parse(bytes) })
        case .embeddings:
            return .embeddings(
                try body.withUnsafeReadableBytes { bytes throws(MockAPIError) in try EmbeddingRequest.parse(bytes) })
        default:
            return nil
        }
    }

    /// Step 2: model, context length, spend budget and (for `.sync`) the rate limits.
    func admit(_ request: ParsedRequest, pool: AdmissionPool, env: inout RequestEnvironment) throws(MockAPIError) -> Admitted {
        switch request {
        case .chat(let chat): return try admitChat(chat, pool: pool, env: &env)
        case .completions(let completions): return try admitCompletions(completions, pool: pool, env: &env)
        case .embeddings(let embeddings): return try admitEmbeddings(embeddings, pool: pool, env: &env)
        }
    }

    /// Step 3 without waiting: the generated output (usage recorded in `env`).
    func output(
        _ request: ParsedRequest, admitted: Admitted, fault: FaultAction, env: inout RequestEnvironment
    ) -> GeneratedOutput {
        switch request {
        case .chat(let chat): return chatOutput(chat, admitted: admitted, fault: fault, env: &env)
        case .completions(let completions):
            return completionsOutput(completions, admitted: admitted, fault: fault, env: &env)
        case .embeddings(let embeddings):
            return .body(embeddingsBody(embeddings, admitted: admitted, env: &env), outputTokens: 0)
        }
    }

    /// Step 3 with waiting (Hummingbird's path): faults, then latency, then the body or the stream.
    func respond(
        _ request: ParsedRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        switch request {
        case .chat(let chat): return try await self.chat(chat, context: context, env: &env)
        case .completions(let completions): return try await self.completions(completions, context: context, env: &env)
        case .embeddings(let embeddings): return try await self.embeddings(embeddings, context: context, env: &env)
        }
    }

    /// A batch line through the same pipeline, synchronously: parse → admit (batch pool) → the fault plan's draw
    /// (status faults answer with their status; faults that mean nothing offline — reset, hang, malformed,
    /// truncate — count as a 500; a slow first byte only delays the line, as on the synchronous path) → the
    /// generated body. Returns the reply, the line's latency sample and a fault's delay, in virtual seconds (0 for
    /// errors).
    func batchLineReply(
        route: MockRoute, body: ByteBuffer, env: inout RequestEnvironment
    ) -> (MockReply, latency: Double, delay: Double) {
        do throws(MockAPIError) {
            guard let request = try parse(route: route, body: body) else {
                throw MockAPIError.invalidURL(method: "POST", path: "/v1/" + route.label)
            }
            let admitted = try admit(request, pool: .batch, env: &env)
            let (action, slow) = runtime.faults.decide(&env.random, streaming: false)
            var delay = 0.0
            switch action {
            case .none:
                if slow {
                    env.record.fault = "slow_first_byte"
                    delay = runtime.settings.faults.slowFirstByteDelay.seconds
                }
            case .status(let status):
                env.record.fault = action.label
                throw MockAPIError.serverFault(status: status)
            case .reset, .hang, .malformed, .truncate:
                env.record.fault = action.label
                throw MockAPIError.serverFault(status: 500)
            }
            guard case .body(let bytes, let outputTokens) = output(request, admitted: admitted, fault: .none, env: &env)
            else { throw MockAPIError.serverFault(status: 500) }
            let seconds = responseSeconds(model: admitted.model.id, outputTokens: outputTokens, env: &env)
            return (env.jsonReply(bytes), seconds, delay)
        } catch {
            return (env.errorReply(error), 0, 0)
        }
    }
}
