/// One line of a batch's output or error file (batch-api.md §7, openai-api.md §5.6):
/// `{"id":"batch_req_…","custom_id":"…","response":{"status_code":200,"request_id":"…","body":{…}},"error":null}`,
/// or with `"response": null` and `"error": {"code","message"}` for a non-HTTP failure such as `batch_expired`.
///
/// Success is judged by `response.status_code`, never by `error == null` (a 4xx line has `error: null`).
public struct BatchOutputLine: Sendable, Equatable {
    public var customID: String
    /// `response.status_code`; nil when the line has no response.
    public var statusCode: Int?
    /// `error.code`, else the code of `response.body.error`.
    public var errorCode: String?
    /// `error.message`, else `response.body.error.message`.
    public var errorMessage: String?
    /// `response.body.usage` (chat/completions `prompt_tokens`/`completion_tokens`, Responses `input_tokens`/`output_tokens`);
    /// nil when a field is negative, not an integer or above `TokenUsage.maximumField` (then `invalidUsage`).
    public var usage: TokenUsage?
    /// The line reported a usage with a field out of `0…TokenUsage.maximumField`; it is not summed.
    public var invalidUsage = false

    public init(customID: String, statusCode: Int?, errorCode: String? = nil, errorMessage: String? = nil,
                usage: TokenUsage? = nil) {
        self.customID = customID
        self.statusCode = statusCode
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.usage = usage
    }

    /// Reads one line.
    /// - Throws: `BatchOutputLineError` when the line is not JSON or has no string `custom_id`.
    public init(parsing text: Substring) throws(BatchOutputLineError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw BatchOutputLineError(message: "not valid JSON (\(error.description))")
        }
        guard case .object = value else { throw BatchOutputLineError(message: "not a JSON object") }
        guard let customID = value["custom_id"]?.stringValue else {
            throw BatchOutputLineError(message: "no custom_id")
        }
        self.customID = customID
        let response = value["response"].flatMap { $0 == .null ? nil : $0 }
        statusCode = response?["status_code"]?.intValue
        let body = response?["body"]
        let error = value["error"].flatMap { $0 == .null ? nil : $0 }
        let bodyError = body?["error"].flatMap { $0 == .null ? nil : $0 }
        errorCode = error?["code"]?.stringValue ?? bodyError?["code"]?.stringValue ?? bodyError?["type"]?.stringValue
        errorMessage = error?["message"]?.stringValue ?? bodyError?["message"]?.stringValue
        if let reported = body?["usage"], case .object = reported {
            usage = Self.usage(of: reported)
            invalidUsage = usage == nil
        }
    }

    /// The outcome of this line: ok for a 2xx status, http_error for any other status, expired for a
    /// `batch_expired` error without a response, failed for any other line without a status.
    public var outcome: BatchLineOutcome {
        if let statusCode { return (200..<300).contains(statusCode) ? .ok : .httpError }
        return errorCode == "batch_expired" ? .expired : .failed
    }

    /// The usage object's counts; nil when a present field is not an integer in `0…TokenUsage.maximumField`.
    static func usage(of json: JSONValue) -> TokenUsage? {
        guard case .object = json else { return nil }
        var valid = true
        func field(_ value: JSONValue?) -> Int {
            guard let value, value != .null else { return 0 }
            guard let number = value.intValue, (0...TokenUsage.maximumField).contains(number) else {
                valid = false
                return 0
            }
            return number
        }
        let prompt = field(json["prompt_tokens"] ?? json["input_tokens"])
        let completion = field(json["completion_tokens"] ?? json["output_tokens"])
        let cached = field(json["prompt_tokens_details"]?["cached_tokens"] ?? json["input_tokens_details"]?["cached_tokens"])
        guard valid else { return nil }
        return TokenUsage(prompt: prompt, completion: completion, cachedPrompt: cached)
    }
}

/// Why an output-file line could not be read.
public struct BatchOutputLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
