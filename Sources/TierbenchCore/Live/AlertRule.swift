/// One entry of `alerts:` in a scenario: a condition on a live figure that, once it has held for `sustain`, prints
/// a warning or aborts the run.
///
/// ```yaml
/// alerts:
///   - { when: "error_rate > 5%", for: 10s, action: abort }
///   - { when: "latency_ms.p95 > 2s", for: 30s }        # action defaults to warn
/// ```
/// `when` uses the threshold grammar (`Threshold`), but an alert *fires while its expression holds*; the metric
/// names are those of `LiveSample.jsonValue`.
public struct AlertRule: Sendable, Hashable, Codable {
    /// What happens when the alert fires.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// Print a warning and go on.
        case warn
        /// Print the alert and stop the run; what was measured is written and the run exits with code 2.
        case abort
    }

    /// The condition, e.g. `error_rate > 0.05`.
    public var condition: Threshold
    /// How long the condition must hold without a break before the alert fires; zero = at the first sample.
    public var sustain: TimeSpan
    public var action: Action

    public init(condition: Threshold, sustain: TimeSpan = .zero, action: Action = .warn) {
        self.condition = condition
        self.sustain = sustain
        self.action = action
    }

    /// Metric names an alert may use (paths into `LiveSample.jsonValue`).
    public static let metrics = [
        "requests_per_s", "error_rate", "rate_limited_per_s", "tokens_per_s", "in_flight", "latency_ms.p50",
        "latency_ms.p95", "latency_ms.p99", "total.requests", "total.failed", "total.rate_limited",
        "total.error_rate", "total.latency_ms.p95",
    ]

    /// The entry as the canonical scenario shows it.
    public var canonicalJSON: JSONValue {
        .object([
            .init("when", .string(condition.expression)), .init("for", .string(sustain.description)),
            .init("action", .string(action.rawValue)),
        ])
    }

    private enum CodingKeys: String, CodingKey { case when, sustain = "for", action }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let expression = try container.decode(String.self, forKey: .when)
        do {
            condition = try Threshold.parse(expression)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .when, in: container, debugDescription: error.description)
        }
        sustain = try container.decode(TimeSpan.self, forKey: .sustain)
        action = try container.decode(Action.self, forKey: .action)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(condition.expression, forKey: .when)
        try container.encode(sustain, forKey: .sustain)
        try container.encode(action, forKey: .action)
    }
}
