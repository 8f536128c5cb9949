/// One entry of a failed batch's `errors.data[]`: `{code, line, message, param}`.
///
/// The factory functions give OpenAI's recorded codes and texts verbatim (batch-api.md §5–§6); codes OpenAI was
/// never seen to use for a case (duplicate ids, mixed models, empty or oversized files) follow the names third
/// parties report.
public struct BatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String?
    /// The 1-based input line, or nil for file-level problems.
    public var line: Int?
    public var param: String?
    public var message: String

    public init(code: String?, line: Int?, param: String?, message: String) {
        self.code = code
        self.line = line
        self.param = param
        self.message = message
    }

    /// `line 3: [invalid_url] The URL provided …`, for terminals and logs.
    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        return place + (code.map { "[\($0)] " } ?? "") + message
    }

    /// `{"code":…,"line":…,"message":…,"param":…}`, nulls written out like OpenAI's objects.
    public var json: JSONValue {
        .object([
            .init("code", code.map(JSONValue.string) ?? .null),
            .init("line", line.map(JSONValue.int) ?? .null),
            .init("message", .string(message)),
            .init("param", param.map(JSONValue.string) ?? .null),
        ])
    }

    /// Reads an error object; nil when `json` is not an object. A missing message reads as "".
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        self.code = json["code"]?.stringValue
        self.line = json["line"]?.intValue
        self.param = json["param"]?.stringValue
        self.message = json["message"]?.stringValue ?? ""
    }

    public static func invalidJSONLine(line: Int) -> BatchError {
        BatchError(
            code: "invalid_json_line", line: line, param: nil, message: "This line is not parseable as valid JSON.")
    }

    /// `name` is one of `custom_id`, `method`, `url`, `body`.
    public static func missingParameter(_ name: String, line: Int) -> BatchError {
        BatchError(
            code: "missing_required_parameter", line: line, param: name,
            message: "Missing required parameter: '\(name)'.")
    }

    public static func invalidURL(line: Int) -> BatchError {
        BatchError(
            code: "invalid_url", line: line, param: "url",
            message: "The URL provided for this request does not match the batch endpoint.")
    }

    public static func modelNotFound(_ model: String, line: Int) -> BatchError {
        BatchError(
            code: "model_not_found", line: line, param: "body.model",
            message: "The provided model '\(model)' is not supported by the Batch API.")
    }

    public static func missingModel(line: Int) -> BatchError {
        BatchError(code: "invalid_request", line: line, param: "body.model", message: "Model parameter is required.")
    }

    public static func missingMessages(line: Int) -> BatchError {
        BatchError(
            code: "invalid_request", line: line, param: "body.messages", message: "Messages parameter is required.")
    }

    /// `/v1/embeddings` lines need `input`, `/v1/completions` lines `prompt`.
    public static func missingInput(_ name: String, line: Int) -> BatchError {
        BatchError(
            code: "invalid_request", line: line, param: "body.\(name)",
            message: "\(name.prefix(1).uppercased() + name.dropFirst()) parameter is required.")
    }

    public static func streamingUnsupported(line: Int) -> BatchError {
        BatchError(
            code: "streaming_unsupported", line: line, param: "body.stream",
            message: "Chat Completions: Streaming is not supported in the Batch API.")
    }

    public static func duplicateCustomID(line: Int) -> BatchError {
        BatchError(
            code: "duplicate_custom_id", line: line, param: "custom_id",
            message: "The custom_id for this request is a duplicate of another request. "
                + "The custom_id parameter must be unique for each request in a batch.")
    }

    public static func mixedModels(_ model: String, expected: String, line: Int) -> BatchError {
        BatchError(
            code: "model_mismatch", line: line, param: "body.model",
            message: "The model '\(model)' does not match the model '\(expected)' of the first request. "
                + "Each input file can only include requests to a single model.")
    }

    public static func invalidMethod(line: Int) -> BatchError {
        BatchError(
            code: "invalid_request", line: line, param: "method",
            message: "Invalid value for 'method': only 'POST' is supported.")
    }

    public static func emptyFile() -> BatchError {
        BatchError(code: "empty_file", line: nil, param: nil, message: "The batch input file is empty.")
    }

    public static func tooManyRequests(_ count: Int) -> BatchError {
        BatchError(
            code: "too_many_tasks", line: nil, param: nil,
            message: "The batch input file has \(count) requests; a batch may include up to "
                + "\(BatchLimits.maxRequests) requests.")
    }

    public static func tooManyEmbeddingInputs(_ count: Int) -> BatchError {
        BatchError(
            code: "too_many_tasks", line: nil, param: nil,
            message: "The batch has \(count) embedding inputs; an /v1/embeddings batch may include up to "
                + "\(BatchLimits.maxEmbeddingInputs) embedding inputs across all requests.")
    }

    public static func fileTooLarge(bytes: Int, model: String) -> BatchError {
        BatchError(
            code: "file_too_large", line: nil, param: nil,
            message: "The batch input file is larger than the \(BatchLimits.maxInputBytes) maximum for the "
                + "\(model) model")
    }

    public static func missingInputFile(_ fileID: String, organization: String) -> BatchError {
        BatchError(
            code: "invalid_request", line: nil, param: "file_id",
            message: "Cannot find file \(fileID), or organization \(organization) does not have access to it.")
    }

    public static func tokenLimitExceeded(model: String, organization: String, limit: Int) -> BatchError {
        BatchError(
            code: "token_limit_exceeded", line: nil, param: nil,
            message: "Enqueued token limit reached for \(model) in organization \(organization). "
                + "Limit: \(BatchError.grouped(limit)) enqueued tokens. "
                + "Please try again once some in_progress batches have been completed.")
    }

    /// `2000000` → `2,000,000`, as OpenAI's message writes limits.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
