/// Where a scenario's requests go (`target:` in a scenario).
public enum ScenarioTarget: Sendable, Equatable, Codable {
    /// The built-in mock, started on 127.0.0.1 at a free port: no key, no network.
    case mock
    /// A real OpenAI-compatible server.
    case remote(RemoteTarget)

    /// Whether this is the built-in mock.
    public var isMock: Bool {
        if case .mock = self { return true }
        return false
    }

    /// The target with its base URL known: for the mock, the engine passes the mock's URL once it listens.
    /// - Parameter mockBaseURL: The running mock's base URL, e.g. `http://127.0.0.1:54321/v1`.
    public func resolved(mockBaseURL: String) -> ResolvedTarget {
        switch self {
        case .mock:
            return ResolvedTarget(baseURL: mockBaseURL, apiKeyEnv: nil, headers: [], isMock: true)
        case .remote(let remote):
            return ResolvedTarget(
                baseURL: remote.baseURL, apiKeyEnv: remote.apiKeyEnv, headers: remote.headers, isMock: false)
        }
    }
}

/// A real server: `{ base_url, api_key_env, headers }`.
public struct RemoteTarget: Sendable, Equatable, Codable {
    /// `http(s)://host[:port]/path` without a trailing slash, e.g. `https://api.openai.com/v1`.
    public var baseURL: String
    /// Name of the environment variable holding the API key (sent as `Authorization: Bearer …`); nil = no key.
    /// The key itself is never stored in a scenario or a result.
    public var apiKeyEnv: String?
    /// Extra request headers, in file order.
    public var headers: [HTTPHeader]

    public init(baseURL: String, apiKeyEnv: String? = nil, headers: [HTTPHeader] = []) {
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case apiKeyEnv = "api_key_env"
        case headers
    }
}

/// One extra request header from `target.headers`.
public struct HTTPHeader: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension RemoteTarget {
    /// `url` with any `user:password@` removed, for printing and for results: credentials in a URL are never shown.
    public static func redactedURL(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "[REDACTED]@" + String(rest[rest.index(after: at)...])
    }

    /// The base URL as it may be printed.
    public var displayURL: String { Self.redactedURL(baseURL) }
}
