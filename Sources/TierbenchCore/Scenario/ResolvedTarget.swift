/// A target with a concrete base URL: what the engine needs to address requests.
public struct ResolvedTarget: Sendable, Equatable {
    /// Base URL without a trailing slash, e.g. `https://api.openai.com/v1`.
    public var baseURL: String
    /// Environment variable holding the API key; nil = send no `Authorization` header.
    public var apiKeyEnv: String?
    /// Extra request headers, in file order.
    public var headers: [HTTPHeader]
    /// Whether this is the built-in mock.
    public var isMock: Bool

    public init(baseURL: String, apiKeyEnv: String?, headers: [HTTPHeader], isMock: Bool) {
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.headers = headers
        self.isMock = isMock
    }

    /// The full URL of `endpoint`, e.g. `https://api.openai.com/v1/chat/completions`.
    public func url(for endpoint: Endpoint) -> String {
        baseURL + endpoint.path
    }
}
