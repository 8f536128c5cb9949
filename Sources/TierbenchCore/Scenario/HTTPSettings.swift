/// HTTP protocol settings (`http:` in a scenario).
public struct HTTPSettings: Sendable, Equatable, Codable {
    /// The HTTP version to speak.
    public enum Version: String, Sendable, Equatable, Codable, CaseIterable {
        /// HTTP/1.1 with keep-alive (the default).
        case http1_1 = "1.1"
        /// HTTP/2 (over TLS via ALPN; prior knowledge for plain http).
        case http2 = "2"
    }

    /// Default `1.1`.
    public var version: Version

    public init(version: Version = .http1_1) {
        self.version = version
    }
}
