/// The error an OpenAI-compatible API returned: the fields of its `{"error": {...}}` envelope.
public struct APIErrorInfo: Sendable, Hashable, Codable {
    /// Human-readable message, e.g. "Rate limit reached for gpt-4o-mini ...".
    public var message: String
    /// Error type, e.g. `invalid_request_error`, `insufficient_quota`, `server_error`.
    public var type: String?
    /// Machine code as text (the API sends a string such as `rate_limit_exceeded`, some servers a number).
    public var code: String?
    /// The request parameter at fault, e.g. `messages`.
    public var param: String?

    public init(message: String, type: String? = nil, code: String? = nil, param: String? = nil) {
        self.message = message
        self.type = type
        self.code = code
        self.param = param
    }
}
