import Foundation
import TierbenchCore

/// Judges a finished run or sweep: evaluates the scenario's thresholds, compares with a baseline, checks the
/// generator, writes the requested report formats into the result folder and picks the exit code.
///
/// Order of exit codes when several gates fail (docs/ci.md): threshold (2), regression (3), generator
/// bottleneck (4). An interrupted run (130) or one where nothing succeeded (1) is decided by the caller first,
/// except that a run stopped by `abort_on_fail` exits 2.
public enum Gate {
    /// Judges one run.
    public static func judge(run report: RunReport, options: GateOptions) throws(EngineError) -> GateOutcome {
        if report.summary.shard != nil {
            // A shard judges nothing (no threshold, baseline or generator check) and writes no report: `tierbench
            // merge` does both. A --format asked of a shard is said to be skipped, not silently dropped.
            let skipped = options.formats.filter { $0 != .json }.map(\.rawValue)
            let note = skipped.isEmpty ? "" : "note: a shard writes summary.json only; --format "
                + skipped.joined(separator: ",") + " is written by `tierbench merge --format "
                + skipped.joined(separator: ",") + "`"
            return GateOutcome(
                thresholds: [], comparison: nil, generatorBottleneck: nil, abortedBy: nil, files: [],
                exitCode: ExitCodes.success, table: note)
        }
        let summary = (try? JSONDecoder().decode(JSONValue.self, from: Data(report.summaryJSON.utf8))) ?? .null
        let scenario = summary["scenario"]
        let thresholds = ScenarioThreshold.list(fromScenarioJSON: scenario).filter { !$0.appliesToSweep }
        let results = ThresholdEvaluator.evaluate(thresholds.map(\.threshold), against: summary)
        // The reports are written in every case; a baseline that cannot be compared is reported after them.
        let (comparison, failure) = compareKeepingFailure(summary, options: options)
        let name = stringValue(scenario?["name"]) ?? "tierbench"
        let content = ReportContent(title: name, runs: [summary], thresholds: results, comparison: comparison)
        let files = try write(content, formats: options.formats, directory: report.directory)
        if let failure { throw failure }
        return outcome(
            content: content, scenario: scenario, summary: summary, abortedBy: report.abortedBy, files: files,
            color: options.color)
    }

    /// Judges a sweep: thresholds whose metric is a sweep.json path (`recommendation.tier1.max_workers >= 8`).
    public static func judge(sweep: SweepOutcome, options: GateOptions) throws(EngineError) -> GateOutcome {
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(sweep.json.utf8))) ?? .null
        let scenario = firstRunScenario(json)
        let thresholds = ScenarioThreshold.list(fromScenarioJSON: scenario).filter(\.appliesToSweep)
        let results = ThresholdEvaluator.evaluate(thresholds.map(\.threshold), against: json)
        let (comparison, failure) = compareKeepingFailure(json, options: options)
        let name = stringValue(scenario?["name"]) ?? "sweep"
        let content = ReportContent(title: name, runs: [], thresholds: results, comparison: comparison, sweep: json)
        let files = try write(content, formats: options.formats, directory: sweep.directory)
        if let failure { throw failure }
        return outcome(content: content, scenario: nil, summary: nil, abortedBy: nil, files: files, color: options.color)
    }

    /// The scenario as run, from the first point's first run summary in a sweep.json.
    static func firstRunScenario(_ sweep: JSONValue) -> JSONValue? {
        guard case .array(let points)? = sweep["points"] else { return nil }
        for point in points {
            if case .array(let runs)? = point["run_summaries"], let scenario = runs.first?["scenario"] {
                return scenario
            }
        }
        return nil
    }

    private static func compareKeepingFailure(_ json: JSONValue, options: GateOptions)
        -> (ComparisonReport?, EngineError?)
    {
        do {
            return (try compare(json, options: options), nil)
        } catch {
            return (nil, error)
        }
    }

    private static func compare(_ json: JSONValue, options: GateOptions) throws(EngineError) -> ComparisonReport? {
        guard let path = options.baselinePath else { return nil }
        return try comparison(
            base: ResultFiles.load(path), new: json, newName: "this result", tolerance: options.maxRegression,
            gated: options.gatedMetrics)
    }

    /// The comparison of `new` with a loaded baseline, refused (never "0 regressions") when the two cannot be
    /// compared: a run with a sweep, different scenarios, no shared headline figure.
    public static func comparison(
        base: ResultFiles.Loaded, new: JSONValue, newName: String, tolerance: Double, gated: Set<String> = []
    ) throws(EngineError) -> ComparisonReport {
        if let reason = Comparison.mismatch(base: base.json, new: new, gated: gated) {
            throw .incomparable(base: base.directory, new: newName, reason: reason)
        }
        return Comparison.compare(base: base.json, new: new, tolerance: tolerance, gated: gated)
    }

    /// Checks, before anything is sent, that the gate's inputs can be read: the `--baseline` file. A bad baseline
    /// found after the run would throw its measurement away.
    public static func checkInputs(_ options: GateOptions) throws(EngineError) {
        if let path = options.baselinePath { _ = try ResultFiles.load(path) }
    }

    private static func outcome(
        content: ReportContent, scenario: JSONValue?, summary: JSONValue?, abortedBy: Threshold?, files: [String],
        color: Bool
    ) -> GateOutcome {
        let asksBottleneck = ScenarioThreshold.failsOnGeneratorBottleneck(scenarioJSON: scenario)
        let bottleneck = asksBottleneck
            ? summary?.metricValue(at: "generator.limited_by_generator") == .bool(true) : nil
        var code = GateExitCode.forGates(
            thresholds: content.thresholds, comparison: content.comparison, summary: summary,
            failOnGeneratorBottleneck: asksBottleneck)
        if abortedBy != nil { code = .thresholdFailed }
        let judged = !content.thresholds.isEmpty || content.comparison != nil || bottleneck != nil || abortedBy != nil
        let table = judged
            ? GateConsoleReport.render(
                thresholds: content.thresholds, comparison: content.comparison, abortedBy: abortedBy,
                bottleneck: bottleneck, color: color)
            : ""
        return GateOutcome(
            thresholds: content.thresholds, comparison: content.comparison, generatorBottleneck: bottleneck,
            abortedBy: abortedBy, files: files, exitCode: code.rawValue, table: table)
    }

    /// Writes `content` in each format (JSON is skipped: summary.json / sweep.json are already there).
    public static func write(_ content: ReportContent, formats: [OutputFormat], directory: String) throws(EngineError)
        -> [String]
    {
        var files: [String] = []
        for format in formats where format != .json {
            let path = directory + "/" + format.defaultFileName
            try ResultWriter.writeAtomically(Data(format.render(content).utf8), to: path)
            files.append(path)
        }
        return files
    }

    static func stringValue(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }
}
