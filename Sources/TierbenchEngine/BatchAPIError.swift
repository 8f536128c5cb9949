import TierbenchCore

/// A failed Batch or Files API call: the call, the HTTP status (0 = no response) and the server's message with any
/// secret removed.
public struct BatchAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `POST /v1/batches`, …
    public var call: String
    /// HTTP status; 0 when no response arrived (connection refused, timeout).
    public var status: Int
    /// The error envelope's `code`, if any.
    public var code: String?
    /// The server's `error.message`, or the transport error.
    public var message: String
    /// Seconds the answer asked to wait (`retry-after-ms` / `retry-after`), if it did.
    public var retryAfter: Double?

    public init(call: String, status: Int, code: String? = nil, message: String) {
        self.call = call
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        var text = "\(call) failed: "
        text += status == 0 ? message : "HTTP \(status): \(message)"
        switch status {
        case 401: text += " (check the API key in the variable target.api_key_env names)"
        case 404 where call.contains("/batches/") || call.contains("/files/"):
            text += " (the id is unknown to this server; a batch made by the in-process mock of an earlier command is gone with it)"
        case 409: text += " (the batch already ended, so there is nothing to cancel)"
        default: break
        }
        return text
    }

    /// Whether waiting and trying again may help: no response, 408, 409 excluded, 429, 5xx.
    public var isTransient: Bool { status == 0 || status == 408 || status == 429 || status >= 500 }

    /// Equal in what the caller sees: call, status, code and message (not the wait asked for).
    public static func == (lhs: BatchAPIError, rhs: BatchAPIError) -> Bool {
        lhs.call == rhs.call && lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }
}
