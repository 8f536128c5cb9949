import TierbenchCore

/// The HTTP protocol version a loop speaks.
public enum HTTPVersion: String, Sendable {
    /// HTTP/1.1 with keep-alive: one request at a time per connection.
    case http1_1 = "1.1"
    /// HTTP/2: prior knowledge over `http://`, ALPN over `https://`; streams are multiplexed on shared connections.
    case http2 = "2"
}

/// Settings shared by every transfer of one ``CurlLoop``.
public struct CurlLoopOptions: Sendable {
    /// HTTP/1.1 or HTTP/2 (`CURLOPT_HTTP_VERSION`).
    public var httpVersion: HTTPVersion = .http1_1
    /// Longest time to establish a connection, TCP and TLS (`CURLOPT_CONNECTTIMEOUT_MS`).
    public var connectTimeout: TimeSpan = .seconds(5)
    /// Longest time for a whole transfer, connection included (`CURLOPT_TIMEOUT_MS`); zero or less = no limit.
    public var requestTimeout: TimeSpan = .seconds(60)
    /// Most connections the loop opens, per host and in total; 0 = one per slot.
    ///
    /// With HTTP/1.1, N busy slots use N connections. With HTTP/2, transfers wait to multiplex on an existing
    /// connection (`CURLOPT_PIPEWAIT`) and a new one is opened only when the server's stream limit is reached.
    public var maxConnections: Int = 0
    /// How long before the driver's deadline the loop stops sleeping in its wait and polls with a zero
    /// timeout instead (busy-waits), so a scheduled send is not delayed by a late wake-up; zero = sleep until then.
    public var spin: TimeSpan = .zero
    /// How the loop waits for sockets: `curl_multi_socket_action` over epoll (the default), or `curl_multi_poll` +
    /// `curl_multi_perform` (``CurlLoopMode``).
    public var mode: CurlLoopMode = .epoll
    /// Redirects followed per transfer (`CURLOPT_MAXREDIRS`); 0 = none: a 3xx answer is final (and a failure).
    public var maxRedirects: Int = 0
    /// With `lowSpeedTime` > 0: a transfer slower than this many bytes per second for `lowSpeedTime` is aborted
    /// (`CURLOPT_LOW_SPEED_LIMIT` / `CURLOPT_LOW_SPEED_TIME`, curl error 28); for long file transfers, where a total
    /// timeout would cut a slow but moving upload. 0 = off.
    public var lowSpeedLimit: Int = 0
    public var lowSpeedTime: TimeSpan = .zero

    public init() {}

    /// The connection cap for a loop with `slots` slots.
    func connectionLimit(slots: Int) -> Int { maxConnections > 0 ? maxConnections : slots }
}
