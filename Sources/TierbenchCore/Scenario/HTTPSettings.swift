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
    /// `follow_redirects`: how many redirects in a row a request follows; default 0 = none (a 3xx answer is then an
    /// `http_3xx` failure). At most `maximumRedirects`.
    public var followRedirects: Int

    /// Largest `follow_redirects` accepted.
    public static let maximumRedirects = 20

    public init(version: Version = .http1_1, followRedirects: Int = 0) {
        self.version = version
        self.followRedirects = followRedirects
    }

    enum CodingKeys: String, CodingKey {
        case version
        case followRedirects = "follow_redirects"
    }

    /// Decodes the settings; `follow_redirects` is optional (0) so values written before it existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Version.self, forKey: .version)
        followRedirects = try container.decodeIfPresent(Int.self, forKey: .followRedirects) ?? 0
    }
}
