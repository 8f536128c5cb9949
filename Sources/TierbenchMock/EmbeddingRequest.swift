/// The fields of a `POST /v1/embeddings` body that the mock acts on.
struct EmbeddingRequest: Sendable {
    var model: String
    /// Each input's estimated tokens and hash; one embedding per input.
    var inputs: [PromptMeasure]
    /// `base64` (little-endian float32, what the Python SDK asks for) or `float` (the API's default).
    var base64 = false
    /// Requested vector length; nil = the model's default.
    var dimensions: Int?

    /// Most inputs in one request, per the API reference.
    static let maxInputs = 2048
    /// Most tokens in one input.
    static let maxInputTokens = 8192

    /// Parses and validates a body, throwing the real API's 400s.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(MockAPIError) -> EmbeddingRequest {
        var reader = try JSONReader.validating(bytes)
        guard try reader.peekKind() == .object else { throw .invalidJSON }
        var model: String?
        var inputs: [PromptMeasure]?
        var request = EmbeddingRequest(model: "", inputs: [])
        try reader.forEachMember { reader, key throws(MockAPIError) in
            if key.matches("model") {
                model = try reader.readString("model")
            } else if key.matches("input") {
                inputs = try reader.readPrompts("input")
            } else if key.matches("encoding_format") {
                if !reader.consumeNull() {
                    let format = try reader.readString("encoding_format")
                    guard format == "float" || format == "base64" else {
                        throw .invalidValue("encoding_format", value: format, supported: ["float", "base64"])
                    }
                    request.base64 = format == "base64"
                }
            } else if key.matches("dimensions") {
                request.dimensions = try reader.readOptionalInt("dimensions")
            } else {
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard let model, !model.isEmpty else { throw .missingModel }
        guard let inputs else { throw .missingParameter("input") }
        guard !inputs.isEmpty, !inputs.contains(where: { $0.tokens == 0 }) else { throw .emptyEmbeddingInput }
        guard inputs.count <= maxInputs else { throw .arrayTooLong("input", maximum: maxInputs, got: inputs.count) }
        if let longest = inputs.map(\.tokens).max(), longest > maxInputTokens {
            throw .embeddingInputTooLong(limit: maxInputTokens, tokens: longest)
        }
        if let dimensions = request.dimensions, dimensions < 1 {
            throw .belowMinimum("dimensions", minimum: "1", got: String(dimensions))
        }
        request.model = model
        request.inputs = inputs
        return request
    }
}
