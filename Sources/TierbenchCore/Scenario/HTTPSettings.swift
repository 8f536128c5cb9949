/// HTTP protocol settings (`http:` in a scenario).
public struct HTTPSettings: Sendable, Equatable, Codable {
    /// The HTTP version to speak.
    public enum Version: String, Sendable, Equatable, Codable, CaseIterable {
        /// HTTP/1.1 with keep-alive (the default).
        case http1_1 = "1.1"
        /// HTTP/2 (over TLS via ALPN; prior knowledge for plain http).
        case http2 = "2"
    }

    /// How the load thread's libcurl loop waits for sockets (`loop:`).
    public enum Loop: String, Sendable, Equatable, Codable, CaseIterable {
        /// `curl_multi_socket_action` per ready socket over epoll (the default): a pass costs O(ready sockets), so
        /// streams and servers that take milliseconds or more keep the loop cheap and its timestamps exact.
        case epoll
        /// `curl_multi_poll` + one `curl_multi_perform` over every transfer per pass, the plain libcurl loop: a few
        /// percent more requests per second from one thread when the target answers in well under a millisecond
        /// (a cache, a static gateway), but O(transfers) per pass, so slower targets and streams cost more CPU and
        /// loop lag (scripts/bench/README.md).
        case poll
    }

    /// Default `1.1`.
    public var version: Version
    /// Default `epoll`.
    public var loop: Loop
    /// `follow_redirects`: how many redirects in a row a request follows; default 0 = none (a 3xx answer is then an
    /// `http_3xx` failure). At most `maximumRedirects`.
    public var followRedirects: Int

    /// Largest `follow_redirects` accepted.
    public static let maximumRedirects = 20

    public init(version: Version = .http1_1, followRedirects: Int = 0, loop: Loop = .epoll) {
        self.version = version
        self.followRedirects = followRedirects
        self.loop = loop
    }

    enum CodingKeys: String, CodingKey {
        case version
        case followRedirects = "follow_redirects"
        case loop
    }

    /// Decodes the settings; `follow_redirects` (0) and `loop` (`epoll`) are optional so values written before they
    /// existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Version.self, forKey: .version)
        followRedirects = try container.decodeIfPresent(Int.self, forKey: .followRedirects) ?? 0
        loop = try container.decodeIfPresent(Loop.self, forKey: .loop) ?? .epoll
    }
}
