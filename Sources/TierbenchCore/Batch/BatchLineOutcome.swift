/// How one input line of a batch ended, after reconciling the input with the output and error files.
public enum BatchLineOutcome: String, Sendable, Codable, CaseIterable {
    /// A 2xx `response.status_code` in the output file.
    case ok
    /// A non-2xx `response.status_code` (the error file's HTTP-level failures: 400, 404, 429, 500 …).
    case httpError = "http_error"
    /// `response: null` with error code `batch_expired`: the completion window ended before the line ran.
    case expired
    /// A non-HTTP failure: `response: null` with another error code, or the whole batch failed (validation, the
    /// enqueued-token limit) so the line never ran.
    case failed
    /// In neither file although the batch ended (a cancelled batch's unrun lines, or a server that dropped them).
    case missing

    /// Whether resubmitting the line in a new batch may help: expired, and HTTP 429 or 5xx.
    /// `failed` lines are retryable only when the whole batch failed on the enqueued-token limit.
    public static func isRetryable(_ outcome: BatchLineOutcome, status: Int?, errorCode: String?) -> Bool {
        switch outcome {
        case .expired: return true
        case .httpError: return status.map { $0 == 429 || (500...599).contains($0) } ?? false
        case .failed: return errorCode == "token_limit_exceeded"
        case .ok, .missing: return false
        }
    }
}
