import Hummingbird

/// An error the mock answers with, rendered in OpenAI's envelope
/// `{"error":{"message":…,"type":…,"param":…,"code":…}}`.
///
/// Message texts are the real API's where the reference records them (shared/reference/openai-api.md §3.2).
struct MockAPIError: Error, Sendable {
    /// HTTP status code.
    var status: Int
    var message: String
    var type: String
    /// The offending request field, e.g. `messages[0].role`; nil renders as JSON null.
    var param: String?
    /// Machine-readable code; nil renders as JSON null.
    var code: String?
    /// Rate-limit wait for 429s, in seconds of wall-clock time (drives `retry-after` and `retry-after-ms`).
    var retryAfterSeconds: Double?

    init(status: Int, message: String, type: String = "invalid_request_error", param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    /// The error body as JSON bytes.
    func body() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(128 + message.utf8.count)
        buffer.writeStaticString("{\"error\":{\"message\":")
        buffer.writeJSONString(message)
        buffer.writeStaticString(",\"type\":")
        buffer.writeJSONString(type)
        buffer.writeStaticString(",\"param\":")
        buffer.writeJSONStringOrNull(param)
        buffer.writeStaticString(",\"code\":")
        buffer.writeJSONStringOrNull(code)
        buffer.writeStaticString("}}")
        return buffer
    }
}

// MARK: - The real API's errors

extension MockAPIError {
    static let invalidJSON = MockAPIError(
        status: 400,
        message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
            + "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
            + "If you have trouble figuring out how to fix this, please contact us through our help center at "
            + "help.openai.com.)")

    static let missingModel = MockAPIError(status: 400, message: "you must provide a model parameter")

    static func missingParameter(_ param: String) -> MockAPIError {
        MockAPIError(
            status: 400, message: "Missing required parameter: '\(param)'.", param: param,
            code: "missing_required_parameter")
    }

    /// `expected` like "an integer", `got` like "a string".
    static func invalidType(_ param: String, expected: String, got: String) -> MockAPIError {
        MockAPIError(
            status: 400, message: "Invalid type for '\(param)': expected \(expected), but got \(got) instead.",
            param: param, code: "invalid_type")
    }

    static func belowMinimum(_ param: String, minimum: String, got: String, integer: Bool = true) -> MockAPIError {
        let kind = integer ? "integer" : "decimal"
        return MockAPIError(
            status: 400,
            message: "Invalid '\(param)': \(kind) below minimum value. Expected a value >= \(minimum), but got \(got) instead.",
            param: param, code: "\(kind)_below_min_value")
    }

    static func aboveMaximum(_ param: String, maximum: String, got: String, integer: Bool = true) -> MockAPIError {
        let kind = integer ? "integer" : "decimal"
        return MockAPIError(
            status: 400,
            message: "Invalid '\(param)': \(kind) above maximum value. Expected a value <= \(maximum), but got \(got) instead.",
            param: param, code: "\(kind)_above_max_value")
    }

    static func emptyArray(_ param: String) -> MockAPIError {
        MockAPIError(
            status: 400,
            message: "Invalid '\(param)': empty array. Expected an array with minimum length 1, but got an empty array instead.",
            param: param, code: "empty_array")
    }

    static func arrayTooLong(_ param: String, maximum: Int, got: Int) -> MockAPIError {
        MockAPIError(
            status: 400,
            message: "Invalid '\(param)': array too long. Expected an array with maximum length \(maximum), but got an array with length \(got) instead.",
            param: param, code: "array_above_max_length")
    }

    static func invalidValue(_ param: String, value: String, supported: [String]) -> MockAPIError {
        let list: String
        if supported.count > 1 {
            list = supported.dropLast().map { "'\($0)'" }.joined(separator: ", ") + ", and '\(supported[supported.count - 1])'"
        } else {
            list = supported.map { "'\($0)'" }.joined()
        }
        return MockAPIError(
            status: 400, message: "Invalid value: '\(value)'. Supported values are: \(list).", param: param,
            code: "invalid_value")
    }

    static let streamOptionsWithoutStream = MockAPIError(
        status: 400, message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        param: "stream_options")

    static func contextLengthExceeded(limit: Int, tokens: Int) -> MockAPIError {
        MockAPIError(
            status: 400,
            message: "This model's maximum context length is \(limit) tokens. However, your messages resulted in "
                + "\(tokens) tokens. Please reduce the length of the messages.",
            param: "messages", code: "context_length_exceeded")
    }

    static func embeddingInputTooLong(limit: Int, tokens: Int) -> MockAPIError {
        MockAPIError(
            status: 400,
            message: "This model's maximum context length is \(limit) tokens, however you requested \(tokens) tokens "
                + "(\(tokens) in your prompt; 0 for the completion). Please reduce your prompt; or completion length.",
            param: "input")
    }

    static let emptyEmbeddingInput = MockAPIError(
        status: 400,
        message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        param: "input")

    static let dimensionsUnsupported = MockAPIError(
        status: 400, message: "This model does not support specifying dimensions.", param: "dimensions")

    static func modelNotFound(_ model: String) -> MockAPIError {
        MockAPIError(
            status: 404, message: "The model `\(model)` does not exist or you do not have access to it.",
            code: "model_not_found")
    }

    static let chatModelOnCompletions = MockAPIError(
        status: 404,
        message: "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
        param: "model")

    static let notAChatModel = MockAPIError(
        status: 404,
        message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?",
        param: "model")

    static func invalidURL(method: String, path: String) -> MockAPIError {
        MockAPIError(status: 404, message: "Invalid URL (\(method) \(path))")
    }

    static func invalidMethod(method: String, path: String) -> MockAPIError {
        MockAPIError(status: 405, message: "Invalid method for URL (\(method) \(path))")
    }

    static func bodyTooLarge(limit: Int) -> MockAPIError {
        MockAPIError(
            status: 413, message: "Request body too large: the limit is \(limit) bytes.", code: "request_too_large")
    }

    static let missingAPIKey = MockAPIError(
        status: 401,
        message: "You didn't provide an API key. You need to provide your API key in an Authorization header using "
            + "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if "
            + "you're accessing the API from your browser and are prompted for a username. You can obtain an API key "
            + "from https://platform.openai.com/account/api-keys.")

    static func incorrectAPIKey(_ key: String) -> MockAPIError {
        MockAPIError(
            status: 401,
            message: "Incorrect API key provided: \(maskedKey(key)). You can find your API key at "
                + "https://platform.openai.com/account/api-keys.",
            code: "invalid_api_key")
    }

    /// `sk-proj-abcdefgh1234` → `sk-proj-****1234`, as the real API masks keys.
    static func maskedKey(_ key: String) -> String {
        let characters = Array(key)
        guard characters.count >= 12 else { return "****" + String(characters.suffix(min(2, characters.count))) }
        return String(characters.prefix(8)) + "****" + String(characters.suffix(4))
    }

    static let insufficientQuota = MockAPIError(
        status: 429,
        message: "You exceeded your current quota, please check your plan and billing details. For more information "
            + "on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        type: "insufficient_quota", code: "insufficient_quota")

    /// The 5xx bodies the fault injector sends.
    static func serverFault(status: Int) -> MockAPIError {
        switch status {
        case 502:
            return MockAPIError(status: 502, message: "Bad gateway.", type: "cf_bad_gateway")
        case 503:
            return MockAPIError(
                status: 503, message: "The engine is currently overloaded, please try again later.", type: "server_error")
        case 500:
            return MockAPIError(
                status: 500, message: "The server had an error while processing your request. Sorry about that!",
                type: "server_error")
        default:
            return MockAPIError(
                status: status, message: "The server returned an injected error (status \(status)).",
                type: status >= 500 ? "server_error" : "invalid_request_error")
        }
    }
}
