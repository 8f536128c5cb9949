/// Stops a run against a hopeless target early instead of hammering it for the whole duration: when the first
/// `window` requests to finish (after retries) all failed with a class that load cannot explain — a refused
/// connection, a host that does not resolve, a TLS failure, a redirect not followed, an answer that is not HTTP, or a
/// 4xx other than 408, 409 and 429 (an unknown model, a bad key, a malformed body) — the rest would fail the same way. 429s, 5xx and timeouts never count: they are
/// what a load test is there to measure. One success disarms the rule for the rest of the run.
///
/// Documented in docs/metrics.md ("Stopping early against a hopeless target").
public struct FailFastRule: Sendable {
    /// Requests that must all have failed hopelessly: 20.
    public static let window = 20

    private var seen = 0
    private var armed = true
    /// The first hopeless failure, kept for the message: (status, class, server or curl message).
    public private(set) var first: (status: Int, errorClass: ErrorClass, message: String?)?

    public init() {}

    /// Whether `errorClass` with `status` says the target cannot serve any request of this run.
    public static func isHopeless(_ errorClass: ErrorClass, status: Int) -> Bool {
        switch errorClass {
        case .connectionRefused, .dns, .tls, .redirect, .protocolError: return true
        case .http4xx: return ![408, 409, 429].contains(status)
        default: return false
        }
    }

    /// Notes one finished request; returns the reason to stop when it completes the window of hopeless failures.
    public mutating func note(_ outcome: RequestOutcome) -> String? {
        guard armed else { return nil }
        guard let errorClass = outcome.errorClass, Self.isHopeless(errorClass, status: outcome.status) else {
            armed = false
            return nil
        }
        if first == nil { first = (outcome.status, errorClass, outcome.errorMessage) }
        seen += 1
        guard seen >= Self.window, let first else { return nil }
        armed = false
        let status = first.status > 0 ? "HTTP \(first.status) " : ""
        let message = first.message.map { ": \($0)" } ?? ""
        return "the first \(Self.window) requests all failed with \(status)\(first.errorClass.rawValue)\(message)"
    }
}
