/// `throttle:` in a scenario: client-side request and token budgets per minute, so a run can stay just under a
/// rate-limit tier. The engine turns it into a `ClientThrottle` (scaled by the mock's `time_scale` for the mock).
public struct ThrottleSettings: Sendable, Equatable, Codable {
    /// Requests per minute; nil = no request budget.
    public var requestsPerMinute: Double?
    /// Tokens per minute (prompt tokens + n × max_tokens per request); nil = no token budget.
    public var tokensPerMinute: Double?
    /// Lower the budgets to what the server's `x-ratelimit-remaining-*` headers say is left; default false.
    public var followServer: Bool
    /// How much of the budget may be spent at once, as a span of its time: `0s` (default) paces from the first
    /// request (450 RPM sends one request every 133 ms); `60s` allows a whole minute's budget at the start.
    public var burst: TimeSpan

    public init(
        requestsPerMinute: Double? = nil, tokensPerMinute: Double? = nil, followServer: Bool = false,
        burst: TimeSpan = .zero
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.followServer = followServer
        self.burst = burst
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestsPerMinute = try container.decodeIfPresent(Double.self, forKey: .requestsPerMinute)
        tokensPerMinute = try container.decodeIfPresent(Double.self, forKey: .tokensPerMinute)
        followServer = try container.decodeIfPresent(Bool.self, forKey: .followServer) ?? false
        burst = try container.decodeIfPresent(TimeSpan.self, forKey: .burst) ?? .zero
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "rpm"
        case tokensPerMinute = "tpm"
        case followServer = "follow_server"
        case burst
    }
}
