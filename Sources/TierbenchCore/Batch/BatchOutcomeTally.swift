/// Counts a batch job's final line results: lines per outcome, HTTP statuses, error codes, token usage summed
/// over the lines, and the reconciliation anomalies.
public struct BatchOutcomeTally: Sendable, Equatable {
    public var lines = 0
    public var outcomes: [BatchLineOutcome: Int] = [:]
    /// Lines per `response.status_code` of the non-2xx lines.
    public var httpStatuses: [Int: Int] = [:]
    /// Lines per error code (line errors, and the batch's error for lines of a failed batch).
    public var errorCodes: [String: Int] = [:]
    /// Usage summed over the lines that reported it.
    public var lineUsage = TokenUsage.zero
    public var anomalies = BatchReconciler.Anomalies()

    public init() {}

    /// Counts one line's final result.
    public mutating func add(_ result: BatchReconciler.LineResult) {
        lines += 1
        outcomes[result.outcome, default: 0] += 1
        if result.outcome == .httpError, let status = result.status { httpStatuses[status, default: 0] += 1 }
        if result.outcome != .ok, let code = result.errorCode { errorCodes[code, default: 0] += 1 }
        if let usage = result.usage { lineUsage = lineUsage + usage }
    }

    /// Lines that ended `outcome`.
    public func count(_ outcome: BatchLineOutcome) -> Int { outcomes[outcome] ?? 0 }
}
