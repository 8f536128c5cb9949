import TierbenchCore

/// Builds a `ReportContent` from saved results: the runs or the sweep, their scenario's thresholds judged again,
/// and an optional baseline comparison.
public enum ReportContentLoader {
    /// The content for `loaded`.
    /// - Parameters:
    ///   - baselinePath: a result to compare with, or nil.
    ///   - tolerance: allowed relative change for the worse (0.1 = 10%).
    public static func content(_ loaded: ResultFiles.Loaded, baselinePath: String?, tolerance: Double)
        throws(EngineError) -> ReportContent
    {
        let comparison: ComparisonReport?
        if let baselinePath {
            comparison = try Gate.comparison(
                base: ResultFiles.load(baselinePath), new: loaded.json, newName: loaded.directory, tolerance: tolerance)
        } else {
            comparison = nil
        }
        if let sweep = loaded.sweep {
            let scenario = Gate.firstRunScenario(sweep)
            let thresholds = ScenarioThreshold.list(fromScenarioJSON: scenario).filter(\.appliesToSweep)
            return ReportContent(
                title: Gate.stringValue(scenario?["name"]) ?? "", runs: [],
                thresholds: ThresholdEvaluator.evaluate(thresholds.map(\.threshold), against: sweep),
                comparison: comparison, sweep: sweep)
        }
        // Thresholds are judged per run; with repetitions, every run's result is listed.
        var results: [ThresholdResult] = []
        for run in loaded.runs {
            let thresholds = ScenarioThreshold.list(fromScenarioJSON: run["scenario"]).filter { !$0.appliesToSweep }
            results += ThresholdEvaluator.evaluate(thresholds.map(\.threshold), against: run)
        }
        return ReportContent(title: "", runs: loaded.runs, thresholds: results, comparison: comparison)
    }
}
