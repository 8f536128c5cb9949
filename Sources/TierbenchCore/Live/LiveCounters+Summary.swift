/// The live counters in the shape of summary.json, so `abort_on_fail` thresholds read the same paths while the run
/// lasts as they do afterwards.
extension LiveCounters {
    /// `requests.{total,succeeded,failed}`, `error_rate`, `status_counts`, `errors` and `tokens.*` of the measured
    /// requests so far: the input `ThresholdEvaluator.canStillPass(_:live:plannedRequests:policy:)` reads.
    public var summaryJSON: JSONValue {
        func counts(_ byKey: [String: Int]) -> JSONValue {
            .object(byKey.sorted { $0.key < $1.key }.map { .init($0.key, .int($0.value)) })
        }
        return .object([
            .init("requests", .object([
                .init("total", .int(measured)), .init("succeeded", .int(measuredSucceeded)),
                .init("failed", .int(measuredFailed)),
            ])),
            .init("error_rate", .double(measured > 0 ? Double(measuredFailed) / Double(measured) : 0)),
            .init("status_counts", counts(statuses.byCode)),
            .init("errors", counts(errors.byLabel)),
            .init("tokens", .object([
                .init("prompt", .int(usage.prompt)), .init("completion", .int(usage.completion)),
                .init("total", .int(usage.total)), .init("cached_prompt", .int(usage.cachedPrompt)),
            ])),
        ])
    }
}
