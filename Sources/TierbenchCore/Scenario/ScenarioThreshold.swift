/// One entry of a scenario's `thresholds:` list: a parsed threshold and whether failing it may stop the run early.
///
/// Written in a scenario as a string (`"latency_ms.p95 < 800ms"`, taking `abort_on_fail` from the scenario's
/// top-level `abort_on_fail:`, default false) or as a mapping (`{ expr: "requests.failed < 10",
/// abort_on_fail: true }`).
public struct ScenarioThreshold: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The parsed expression.
    public var threshold: Threshold
    /// Stop the run as soon as this threshold can no longer pass (`ThresholdEvaluator.canStillPass`).
    public var abortOnFail: Bool

    public init(_ threshold: Threshold, abortOnFail: Bool = false) {
        self.threshold = threshold
        self.abortOnFail = abortOnFail
    }

    /// Whether the threshold is judged against a sweep's sweep.json rather than a run's summary.json: its metric
    /// starts with one of `sweepRoots` (for example `recommendation.tier1.max_workers`).
    public var appliesToSweep: Bool {
        let root = threshold.metric.split(separator: ".").first.map(String.init) ?? ""
        return Self.sweepRoots.contains(root)
    }

    /// Top-level keys of sweep.json that are not also summary.json keys.
    public static let sweepRoots: Set<String> = ["recommendation", "comparison", "curves", "points", "time_scale"]

    public var description: String { threshold.expression }

    enum CodingKeys: String, CodingKey {
        case expr
        case abortOnFail = "abort_on_fail"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .expr)
        do {
            threshold = try Threshold.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .expr, in: container, debugDescription: error.description)
        }
        abortOnFail = try container.decodeIfPresent(Bool.self, forKey: .abortOnFail) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(threshold.expression, forKey: .expr)
        try container.encode(abortOnFail, forKey: .abortOnFail)
    }

    /// As the canonical scenario JSON writes it: always the mapping form.
    var canonicalJSON: JSONValue {
        .object([.init("expr", .string(threshold.expression)), .init("abort_on_fail", .bool(abortOnFail))])
    }
}
