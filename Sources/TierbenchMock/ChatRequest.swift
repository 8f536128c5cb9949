import TierbenchCore

/// The fields of a `POST /v1/chat/completions` body that the mock acts on; everything else is checked and ignored.
struct ChatRequest: Sendable {
    var model: String
    /// Estimated prompt tokens (`TokenEstimator.chatPromptTokens`).
    var promptTokens: Int
    var messageCount: Int
    /// Hash of the message contents (generated text depends on it).
    var promptHash: UInt64 = PromptMeasure.emptyHash
    /// The prompt as the prefix cache sees it: one segment per message (its framing and content tokens, a hash of
    /// its role and content), then the reply's priming tokens. The tokens add up to `promptTokens`. Empty when
    /// parsed without segments (a mock without a prefix cache).
    var segments: [PromptMeasure] = []
    /// Choices to generate (1...128).
    var n: Int = 1
    /// `max_completion_tokens` ?? `max_tokens`; nil = no limit.
    var maxCompletionTokens: Int?
    var stream = false
    var includeUsage = false
    var stop: [String] = []

    /// Roles the real API accepts.
    static let roles = ["system", "assistant", "user", "function", "tool", "developer"]

    /// Parses and validates a body, throwing the real API's 400s.
    /// - Parameter segments: keep the prefix-cache segments (only a mock with a prefix cache needs them).
    static func parse(_ bytes: UnsafeRawBufferPointer, segments: Bool = true) throws(MockAPIError) -> ChatRequest {
        var reader = try JSONReader.validating(bytes)
        guard try reader.peekKind() == .object else { throw .invalidJSON }
        var model: String?
        var contents: MessagesMeasure?
        var request = ChatRequest(model: "", promptTokens: 0, messageCount: 0)
        var maxTokens: Int?
        var streamOptionsGiven = false
        try reader.forEachMember { reader, key throws(MockAPIError) in
            if key.matches("model") {
                model = try reader.readString("model")
            } else if key.matches("messages") {
                contents = try readMessages(&reader, segments: segments)
            } else if key.matches("n") {
                request.n = try reader.readOptionalInt("n") ?? 1
            } else if key.matches("max_tokens") {
                maxTokens = try reader.readOptionalInt("max_tokens")
            } else if key.matches("max_completion_tokens") {
                request.maxCompletionTokens = try reader.readOptionalInt("max_completion_tokens")
            } else if key.matches("stream") {
                request.stream = try reader.readOptionalBool("stream") ?? false
            } else if key.matches("stream_options") {
                (streamOptionsGiven, request.includeUsage) = try reader.readStreamOptions()
            } else if key.matches("stop") {
                request.stop = try reader.readStop()
            } else if key.matches("temperature") {
                try checkRange(try reader.readOptionalNumber("temperature"), "temperature", 0, 2)
            } else if key.matches("top_p") {
                try checkRange(try reader.readOptionalNumber("top_p"), "top_p", 0, 1)
            } else {
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard let model, !model.isEmpty else { throw .missingModel }
        guard let contents else { throw .missingParameter("messages") }
        guard contents.count > 0 else { throw .emptyArray("messages") }
        request.model = model
        request.messageCount = contents.count
        request.promptTokens = TokenEstimator.chatPromptTokens(messages: contents.count, contentTokens: contents.tokens)
        request.promptHash = contents.hash
        if segments {
            request.segments = contents.segments
            request.segments.append(PromptMeasure(tokens: TokenEstimator.tokensPerReply, hash: replySegmentHash))
        }
        if request.maxCompletionTokens == nil { request.maxCompletionTokens = maxTokens }
        try validateCounts(n: request.n, max: request.maxCompletionTokens, maxParam: maxTokens != nil ? "max_tokens" : "max_completion_tokens")
        if streamOptionsGiven && !request.stream { throw .streamOptionsWithoutStream }
        return request
    }

    /// The messages of a request: how many, their content tokens in all, the hash of their contents in order, and
    /// one prefix-cache segment per message.
    private struct MessagesMeasure {
        var count = 0
        var tokens = 0
        var hash = PromptMeasure.emptyHash
        var segments: [PromptMeasure] = []
    }

    /// The hash of the reply's priming segment (a constant: every prompt ends with it).
    static let replySegmentHash: UInt64 = 0x7265_706C_795F_7072

    /// A message's prefix-cache segment: framing plus content tokens, the hash of role and content.
    static func messageSegment(role: String, content: PromptMeasure) -> PromptMeasure {
        var segment = PromptMeasure(tokens: TokenEstimator.tokensPerMessage + content.tokens, hash: PromptMeasure.emptyHash)
        for byte in role.utf8 { segment.combine(UInt64(byte)) }
        segment.combine(content.hash)
        return segment
    }

    /// Reads `messages`, measuring their contents without keeping them.
    private static func readMessages(_ reader: inout JSONReader, segments: Bool) throws(MockAPIError) -> MessagesMeasure {
        let kind = try reader.peekKind()
        guard kind == .array else { throw .invalidType("messages", expected: "an array", got: kind.article) }
        var combined = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
        var measure = MessagesMeasure()
        try reader.forEachElement { reader, index throws(MockAPIError) in
            let kind = try reader.peekKind()
            guard kind == .object else { throw .invalidType("messages[\(index)]", expected: "an object", got: kind.article) }
            var role: String?
            var tokens = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
            try reader.forEachMember { reader, key throws(MockAPIError) in
                if key.matches("role") {
                    role = try reader.readString("messages[\(index)].role")
                } else if key.matches("content") {
                    tokens = try readContent(&reader, param: "messages[\(index)].content")
                } else {
                    try reader.skipValue()
                }
            }
            guard let role else { throw .missingParameter("messages[\(index)].role") }
            guard roles.contains(role) else {
                throw .invalidValue("messages[\(index)].role", value: role, supported: roles)
            }
            measure.count += 1
            measure.tokens += tokens.tokens
            if segments { measure.segments.append(messageSegment(role: role, content: tokens)) }
            combined.combine(tokens.hash)
        }
        measure.hash = combined.hash
        return measure
    }

    /// Content is a string, null, or an array of parts whose `text` fields are counted.
    private static func readContent(
        _ reader: inout JSONReader, param: @autoclosure () -> String
    ) throws(MockAPIError) -> PromptMeasure {
        switch try reader.peekKind() {
        case .string:
            return try reader.measureString()
        case .null:
            _ = reader.consumeNull()
            return PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
        case .array:
            var tokens = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
            try reader.forEachElement { reader, index throws(MockAPIError) in
                let kind = try reader.peekKind()
                guard kind == .object else { throw .invalidType("\(param())[\(index)]", expected: "an object", got: kind.article) }
                try reader.forEachMember { reader, key throws(MockAPIError) in
                    if key.matches("text"), try reader.peekKind() == .string {
                        let part = try reader.measureString()
                        tokens.tokens += part.tokens
                        tokens.combine(part.hash)
                    } else {
                        try reader.skipValue()
                    }
                }
            }
            return tokens
        case let kind:
            throw .invalidType(param(), expected: "a string or an array", got: kind.article)
        }
    }

    /// Checks `n` (1...128) and the completion limit (≥ 1).
    static func validateCounts(n: Int, max: Int?, maxParam: String, minimumMax: Int = 1) throws(MockAPIError) {
        if n < 1 { throw .belowMinimum("n", minimum: "1", got: String(n)) }
        if n > 128 { throw .aboveMaximum("n", maximum: "128", got: String(n)) }
        if let max, max < minimumMax { throw .belowMinimum(maxParam, minimum: String(minimumMax), got: String(max)) }
    }

    /// Checks a decimal parameter against its range.
    static func checkRange(_ value: Double?, _ param: String, _ low: Double, _ high: Double) throws(MockAPIError) {
        guard let value else { return }
        if value < low { throw .belowMinimum(param, minimum: format(low), got: format(value), integer: false) }
        if value > high { throw .aboveMaximum(param, maximum: format(high), got: format(value), integer: false) }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
