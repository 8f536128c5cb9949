/// Why a request failed, as one stable label that summaries, logs and thresholds can count by.
///
/// Transport classes come from libcurl's result code (and errno); HTTP classes from the status line.
public enum ErrorClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// The server actively refused the TCP connection (ECONNREFUSED).
    case connectionRefused = "connection_refused"
    /// The host name could not be resolved.
    case dns
    /// The connection could not be established within the connect timeout.
    case connectTimeout = "connect_timeout"
    /// The whole request did not finish within the request timeout.
    case timeout
    /// TLS handshake or certificate failure.
    case tls
    /// The peer reset or closed the connection mid-transfer (ECONNRESET, empty reply, partial body).
    case connectionReset = "connection_reset"
    /// The server answered 429 (rate limited or out of quota).
    case rateLimited = "http_429"
    /// Any other 4xx status.
    case http4xx = "http_4xx"
    /// Any 5xx status.
    case http5xx = "http_5xx"
    /// A 2xx response whose body could not be understood (malformed JSON, truncated stream, missing [DONE]).
    case badResponse = "bad_response"
    /// A redirect (3xx) that was not followed (redirects are off unless `http.follow_redirects` allows them), or
    /// more redirects in a row than it allows. Only 2xx is a success.
    case redirect = "http_3xx"
    /// The reply is not valid HTTP: a garbage status line, malformed or oversized headers, a broken chunked or
    /// content encoding, a status outside 100…599.
    case protocolError = "protocol_error"
    /// A 2xx response whose `usage` holds a figure out of range (negative, not an integer, above
    /// `TokenUsage.maximumField`): the request failed and its usage is not summed.
    case invalidUsage = "invalid_usage"
    /// Any other transport failure; the request log keeps curl's message.
    case other

    /// The class of a final HTTP status, or nil for a success (2xx). Only 2xx succeeds: 3xx is `.redirect`, and
    /// anything outside 200…599 (1xx as a final status, 600+) is `.protocolError`.
    public static func forStatus(_ status: Int) -> ErrorClass? {
        switch status {
        case 200..<300: return nil
        case 300..<400: return .redirect
        case 429: return .rateLimited
        case 400..<500: return .http4xx
        case 500..<600: return .http5xx
        default: return .protocolError
        }
    }
}
