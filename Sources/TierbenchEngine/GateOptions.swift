import TierbenchCore

/// What to do once a run or sweep has finished: which report formats to write next to its JSON, and which
/// baseline to compare it with.
public struct GateOptions: Sendable {
    /// Formats to write into the result folder (JSON is always there already).
    public var formats: [OutputFormat] = []
    /// A summary.json, sweep.json or result folder to compare with (`--baseline`).
    public var baselinePath: String?
    /// Allowed relative change in the bad direction (`--max-regression 10%` is 0.1).
    public var maxRegression: Double = 0.10
    /// Metric paths (or names) gated besides the headline figures (`--gate-metric`).
    public var gatedMetrics: Set<String> = []
    /// Colour for the console table.
    public var color = false

    public init() {}
}

/// The verdict of a finished run or sweep against its thresholds, baseline and generator check.
public struct GateOutcome: Sendable {
    public var thresholds: [ThresholdResult]
    public var comparison: ComparisonReport?
    /// nil when the scenario does not ask to fail on a generator bottleneck; else whether there was one.
    public var generatorBottleneck: Bool?
    /// The `abort_on_fail` threshold that stopped the run, if any.
    public var abortedBy: Threshold?
    /// Report files written, full paths.
    public var files: [String]
    /// The documented exit code (0, 2, 3, 4; see docs/ci.md).
    public var exitCode: Int32
    /// The pass/fail table for the console; empty when there was nothing to judge.
    public var table: String
}
