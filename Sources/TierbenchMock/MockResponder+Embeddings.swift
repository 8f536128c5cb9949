import Hummingbird
import TierbenchCore

/// `POST /v1/embeddings`: deterministic unit vectors, as float arrays or base64 little-endian float32.
extension MockResponder {
    func embeddings(
        _ request: EmbeddingRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        let admitted = try admitEmbeddings(request, env: &env)
        let (fault, dropped) = try await applyFaults(streaming: false, context: context, env: &env)
        if let dropped { return dropped }
        if fault == .malformed {
            return .finished(malformedResponse(prefix: "{\"object\":\"list\",", env: env))
        }
        let body = embeddingsBody(request, admitted: admitted, env: &env)
        await generationDelay(model: admitted.model.id, outputTokens: 0, env: &env)
        return .finished(env.jsonReply(body).response(env: env, runtime: runtime))
    }

    /// Resolves the model, checks `dimensions`, and charges the quota and rate limits.
    func admitEmbeddings(
        _ request: EmbeddingRequest, pool: AdmissionPool = .sync, env: inout RequestEnvironment
    ) throws(MockAPIError) -> Admitted {
        let model = try resolveModel(request.model, route: .embeddings)
        if request.dimensions != nil && !model.acceptsDimensions && model.kind == .embedding {
            throw .dimensionsUnsupported
        }
        let defaultDimensions = model.embeddingDimensions > 0 ? model.embeddingDimensions : 1536
        if let dimensions = request.dimensions, dimensions > defaultDimensions && model.acceptsDimensions {
            throw .aboveMaximum("dimensions", maximum: String(defaultDimensions), got: String(dimensions))
        }
        let promptTokens = request.inputs.reduce(0) { $0 + $1.tokens }
        try admit(model: model, tokens: promptTokens, pool: pool, env: &env)
        return Admitted(model: model, reservedTokens: promptTokens)
    }

    /// Records usage and builds the body.
    func embeddingsBody(_ request: EmbeddingRequest, admitted: Admitted, env: inout RequestEnvironment) -> ByteBuffer {
        let model = admitted.model
        let defaultDimensions = model.embeddingDimensions > 0 ? model.embeddingDimensions : 1536
        let dimensions = request.dimensions ?? runtime.settings.embeddingDimensions ?? defaultDimensions
        let promptTokens = admitted.reservedTokens
        recordUsage(
            model: model, prompts: request.inputs.count, choices: request.inputs.count,
            promptTokens: promptTokens, completionTokens: 0, env: &env)

        let perVector = request.base64 ? (dimensions * 4 + 2) / 3 * 4 : dimensions * 12
        var body = ByteBuffer()
        body.reserveCapacity(200 + request.inputs.count * (perVector + 48))
        body.writeStaticString("{\"object\":\"list\",\"data\":[")
        var vector = [Float](repeating: 0, count: dimensions)
        for (index, input) in request.inputs.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            EmbeddingVector.fill(&vector, seed: runtime.settings.seed, inputHash: input.hash)
            body.writeStaticString("{\"object\":\"embedding\",\"index\":")
            body.writeDecimal(index)
            body.writeStaticString(",\"embedding\":")
            if request.base64 {
                body.writeStaticString("\"")
                EmbeddingVector.writeBase64(vector, into: &body)
                body.writeStaticString("\"")
            } else {
                body.writeStaticString("[")
                for (position, value) in vector.enumerated() {
                    if position > 0 { body.writeStaticString(",") }
                    body.writeJSONFloat(value)
                }
                body.writeStaticString("]")
            }
            body.writeStaticString("}")
        }
        body.writeStaticString("],\"model\":")
        body.writeJSONString(model.snapshot)
        body.writeStaticString(",\"usage\":{\"prompt_tokens\":")
        body.writeDecimal(promptTokens)
        body.writeStaticString(",\"total_tokens\":")
        body.writeDecimal(promptTokens)
        body.writeStaticString("}}")
        return body
    }
}
