/// The process exit codes of `tierbench run`, `sweep`, `compare` and `report` (docs/ci.md).
public enum GateExitCode: Int32, Sendable, Hashable, CaseIterable {
    /// The run finished and every gate passed.
    case ok = 0
    /// The run itself failed (target unreachable, engine error, results not writable).
    case runFailed = 1
    /// A threshold failed (or had no samples).
    case thresholdFailed = 2
    /// A metric regressed beyond the tolerance against the baseline.
    case regression = 3
    /// The load generator was the bottleneck (`generator.limited_by_generator`) and the scenario asks to fail on it.
    case generatorBottleneck = 4
    /// Bad command-line usage (EX_USAGE).
    case usage = 64
    /// The scenario file is invalid (EX_DATAERR).
    case invalidScenario = 65
    /// Interrupted by SIGINT (128 + 2).
    case interrupted = 130

    /// The code for a finished run's gates, most severe first: threshold failures (2), then regressions (3),
    /// then a generator bottleneck when `failOnGeneratorBottleneck` (4), else 0.
    public static func forGates(
        thresholds: [ThresholdResult], comparison: ComparisonReport?, summary: JSONValue? = nil,
        failOnGeneratorBottleneck: Bool = false
    ) -> GateExitCode {
        if !thresholds.allPassed { return .thresholdFailed }
        if comparison?.hasRegression == true { return .regression }
        if failOnGeneratorBottleneck,
           summary?.metricValue(at: "generator.limited_by_generator") == .bool(true) {
            return .generatorBottleneck
        }
        return .ok
    }
}
