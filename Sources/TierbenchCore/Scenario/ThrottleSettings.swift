/// `throttle:` in a scenario: client-side request and token budgets per minute, so a run can stay just under a
/// rate-limit tier. The engine turns it into a `ClientThrottle` (scaled by the mock's `time_scale` for the mock).
public struct ThrottleSettings: Sendable, Equatable, Codable {
    /// Requests per minute; nil = no request budget.
    public var requestsPerMinute: Double?
    /// Tokens per minute (prompt tokens + n × max_tokens per request); nil = no token budget.
    public var tokensPerMinute: Double?
    /// Lower the budgets to what the server's `x-ratelimit-remaining-*` headers say is left; default false.
    public var followServer: Bool

    public init(requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil, followServer: Bool = false) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.followServer = followServer
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "rpm"
        case tokensPerMinute = "tpm"
        case followServer = "follow_server"
    }
}
