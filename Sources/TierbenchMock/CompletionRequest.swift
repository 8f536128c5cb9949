/// The fields of a `POST /v1/completions` body that the mock acts on.
struct CompletionRequest: Sendable {
    var model: String
    /// Each prompt's estimated tokens and hash; the response has `prompts.count × n` choices.
    var prompts: [PromptMeasure]
    var n: Int = 1
    /// Completion limit per choice; the real API's default is 16.
    var maxTokens: Int = 16
    var stream = false
    var includeUsage = false
    var stop: [String] = []

    /// The real API's default `max_tokens` on this endpoint.
    static let defaultMaxTokens = 16

    /// Parses and validates a body, throwing the real API's 400s.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(MockAPIError) -> CompletionRequest {
        var reader = try JSONReader.validating(bytes)
        guard try reader.peekKind() == .object else { throw .invalidJSON }
        var model: String?
        var prompts: [PromptMeasure]?
        var request = CompletionRequest(model: "", prompts: [])
        var streamOptionsGiven = false
        try reader.forEachMember { reader, key throws(MockAPIError) in
            if key.matches("model") {
                model = try reader.readString("model")
            } else if key.matches("prompt") {
                prompts = try reader.readPrompts("prompt")
            } else if key.matches("n") {
                request.n = try reader.readOptionalInt("n") ?? 1
            } else if key.matches("max_tokens") {
                request.maxTokens = try reader.readOptionalInt("max_tokens") ?? defaultMaxTokens
            } else if key.matches("stream") {
                request.stream = try reader.readOptionalBool("stream") ?? false
            } else if key.matches("stream_options") {
                (streamOptionsGiven, request.includeUsage) = try reader.readStreamOptions()
            } else if key.matches("stop") {
                request.stop = try reader.readStop()
            } else if key.matches("temperature") {
                try ChatRequest.checkRange(try reader.readOptionalNumber("temperature"), "temperature", 0, 2)
            } else {
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard let model, !model.isEmpty else { throw .missingModel }
        guard let prompts else { throw .missingParameter("prompt") }
        guard !prompts.isEmpty else { throw .emptyArray("prompt") }
        request.model = model
        request.prompts = prompts
        try ChatRequest.validateCounts(n: request.n, max: request.maxTokens, maxParam: "max_tokens", minimumMax: 0)
        if streamOptionsGiven && !request.stream { throw .streamOptionsWithoutStream }
        return request
    }
}
