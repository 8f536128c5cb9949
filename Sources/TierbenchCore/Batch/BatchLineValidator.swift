/// OpenAI's validation of a batch input file, line by line, as the server applies it while a batch is
/// `validating` (batch-api.md §5). The mock uses it for its validating phase and `tierbench batch prepare` for a
/// local pre-flight, so a batch that would fail late on the server fails early with the same code and line.
///
/// ```swift
/// var validator = BatchLineValidator(endpoint: "/v1/chat/completions") { !BatchLimits.unsupportedModels.contains($0) }
/// for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
///     _ = validator.check(line, number: index + 1)
/// }
/// validator.finish()
/// if !validator.errors.isEmpty { … }  // every problem, like `errors.data[]`
/// ```
/// Validation is all-or-nothing: one bad line fails the whole batch. Each line reports its first problem.
public struct BatchLineValidator: Sendable {
    /// Problems kept at most (the rest are counted in `errorCount`).
    public static let maxErrors = 1_000

    public let endpoint: String
    private let isBatchModel: @Sendable (String) -> Bool
    private var customIDs = Set<String>()
    private var finished = false

    /// Problems found, in line order, at most `maxErrors`.
    public private(set) var errors: [BatchError] = []
    /// Problems found in all.
    public private(set) var errorCount = 0
    /// The first good line's model: every line must name it.
    public private(set) var model: String?
    /// Non-blank lines seen.
    public private(set) var requestCount = 0
    /// Estimated prompt tokens over the good lines.
    public private(set) var inputTokens = 0
    /// Embedding inputs over the good lines.
    public private(set) var embeddingInputs = 0
    /// Bytes of every line seen, newlines included.
    public private(set) var byteCount = 0

    /// - Parameters:
    ///   - endpoint: the batch's `endpoint`, e.g. `/v1/chat/completions`; every line's `url` must equal it.
    ///   - isBatchModel: whether a model may be batched (unknown and unsupported models fail `model_not_found`).
    public init(endpoint: String, isBatchModel: @escaping @Sendable (String) -> Bool) {
        self.endpoint = endpoint
        self.isBatchModel = isBatchModel
    }

    /// Checks line `number` (1-based). Blank lines are skipped but counted in `byteCount`; a UTF-8 byte order mark
    /// at the start of line 1 is ignored. Returns the line's info, or nil when it is blank or has a problem (then
    /// recorded in `errors`).
    public mutating func check(_ line: Substring, number: Int) -> BatchLineInfo? {
        byteCount &+= line.utf8.count &+ 1
        var text = line
        if number == 1, text.unicodeScalars.first == "\u{FEFF}" { text = text.dropFirst() }
        if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return nil }
        requestCount &+= 1
        switch inspect(text, number: number) {
        case .success(let info):
            inputTokens &+= info.inputTokens
            embeddingInputs &+= info.embeddingInputs
            return info
        case .failure(let error):
            record(error)
            return nil
        }
    }

    /// After the last line: adds the file-level problems (an empty file, more than 50,000 requests or embedding
    /// inputs). Calling it again does nothing.
    public mutating func finish() {
        guard !finished else { return }
        finished = true
        if requestCount == 0 { record(.emptyFile()) }
        if requestCount > BatchLimits.maxRequests { record(.tooManyRequests(requestCount)) }
        if embeddingInputs > BatchLimits.maxEmbeddingInputs { record(.tooManyEmbeddingInputs(embeddingInputs)) }
    }

    private mutating func record(_ error: BatchError) {
        errorCount &+= 1
        if errors.count < Self.maxErrors { errors.append(error) }
    }

    private mutating func inspect(_ text: Substring, number: Int) -> Result<BatchLineInfo, BatchError> {
        guard let value = try? JSONValue.parse(text), case .object = value else {
            return .failure(.invalidJSONLine(line: number))
        }
        for name in ["custom_id", "method", "url", "body"] where value[name] == nil || value[name] == .null {
            return .failure(.missingParameter(name, line: number))
        }
        guard let customID = value["custom_id"]?.stringValue, !customID.isEmpty else {
            return .failure(.missingParameter("custom_id", line: number))
        }
        guard value["method"]?.stringValue == "POST" else { return .failure(.invalidMethod(line: number)) }
        guard value["url"]?.stringValue == endpoint else { return .failure(.invalidURL(line: number)) }
        guard let body = value["body"], case .object = body else {
            return .failure(.missingParameter("body", line: number))
        }
        guard let lineModel = body["model"]?.stringValue, !lineModel.isEmpty else {
            return .failure(.missingModel(line: number))
        }
        guard isBatchModel(lineModel) else { return .failure(.modelNotFound(lineModel, line: number)) }
        if let model, model != lineModel { return .failure(.mixedModels(lineModel, expected: model, line: number)) }
        let tokens: (input: Int, embeddings: Int)
        switch Self.promptTokens(body, endpoint: endpoint) {
        case .success(let counted): tokens = counted
        case .failure(let missing): return .failure(missing.error(line: number))
        }
        if body["stream"] == .bool(true) { return .failure(.streamingUnsupported(line: number)) }
        guard customIDs.insert(customID).inserted else { return .failure(.duplicateCustomID(line: number)) }
        if model == nil { model = lineModel }
        return .success(
            BatchLineInfo(
                customID: customID, model: lineModel, body: body, inputTokens: tokens.input,
                embeddingInputs: tokens.embeddings, byteCount: text.utf8.count + 1))
    }

    /// The field a body of this endpoint must carry but does not.
    private enum MissingField: Error {
        case messages, input, prompt

        func error(line: Int) -> BatchError {
            switch self {
            case .messages: return .missingMessages(line: line)
            case .input: return .missingInput("input", line: line)
            case .prompt: return .missingInput("prompt", line: line)
            }
        }
    }

    /// Estimated prompt tokens of `body` (and embedding inputs), or the required field it lacks.
    private static func promptTokens(
        _ body: JSONValue, endpoint: String
    ) -> Result<(input: Int, embeddings: Int), MissingField> {
        switch endpoint {
        case "/v1/chat/completions":
            guard case .array(let messages) = body["messages"] ?? .null, !messages.isEmpty else {
                return .failure(.messages)
            }
            let contents = messages.map { texts(in: $0["content"] ?? .null).joined(separator: "\n") }
            return .success((TokenEstimator.chatPromptTokens(messageContents: contents), 0))
        case "/v1/embeddings":
            guard let input = body["input"], input != .null else { return .failure(.input) }
            let parts = texts(in: input)
            let count: Int
            if case .array(let items) = input { count = items.count } else { count = 1 }
            return .success((parts.reduce(0) { $0 &+ TokenEstimator.tokens(in: $1) }, count))
        case "/v1/completions":
            guard let prompt = body["prompt"], prompt != .null else { return .failure(.prompt) }
            return .success((texts(in: prompt).reduce(0) { $0 &+ TokenEstimator.tokens(in: $1) }, 0))
        default:
            let input = body["input"] ?? body["prompt"] ?? .null
            return .success((texts(in: input).reduce(0) { $0 &+ TokenEstimator.tokens(in: $1) }, 0))
        }
    }

    /// Every string in `value`: itself, an array's strings, or the `text` of content parts.
    private static func texts(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items): return items.flatMap { texts(in: $0) }
        case .object: return value["text"]?.stringValue.map { [$0] } ?? []
        default: return []
        }
    }
}
