/// Everything one report shows: the runs' summaries, threshold results, an optional baseline comparison and an
/// optional sweep. The lead's CLI fills it from a run or from saved result files and hands it to a format.
public struct ReportContent: Sendable {
    /// Title shown at the top (usually the scenario name).
    public var title: String
    /// One summary per run or repetition, as summary.json holds it.
    public var runs: [JSONValue]
    /// Threshold results, in the scenario's order.
    public var thresholds: [ThresholdResult]
    /// A comparison with a baseline, when one was given.
    public var comparison: ComparisonReport?
    /// A sweep result (sweep.json), when the report is for a sweep.
    public var sweep: JSONValue?

    public init(
        title: String, runs: [JSONValue], thresholds: [ThresholdResult] = [], comparison: ComparisonReport? = nil,
        sweep: JSONValue? = nil
    ) {
        self.title = title
        self.runs = runs
        self.thresholds = thresholds
        self.comparison = comparison
        self.sweep = sweep
    }

    /// Reads summaries from anything summary-like (`RunSummary`, `JSONValue`).
    /// - Throws: what `summaryJSON()` throws.
    public init(
        title: String, summaries: [any SummaryJSONConvertible], thresholds: [ThresholdResult] = [],
        comparison: ComparisonReport? = nil, sweep: JSONValue? = nil
    ) throws {
        var runs: [JSONValue] = []
        for summary in summaries { runs.append(try summary.summaryJSON()) }
        self.init(title: title, runs: runs, thresholds: thresholds, comparison: comparison, sweep: sweep)
    }

    /// The title, or the first run's `scenario.name`, or "tierbench".
    public var displayTitle: String {
        if !title.isEmpty { return title }
        if case .string(let name)? = runs.first?.metricValue(at: "scenario.name") { return name }
        if case .string(let name)? = sweep?.metricValue(at: "name") { return name }
        return "tierbench"
    }

    /// Whether every run had a successful measured request, every threshold passed and no metric regressed. A run
    /// with no successful request is never green, whatever its thresholds say.
    public var gatePassed: Bool {
        runProblems.isEmpty && thresholds.allPassed && !(comparison?.hasRegression ?? false)
    }

    /// One sentence per run that measured no successful request (`requests.succeeded` = 0): "run 1: no request
    /// succeeded (120 of 120 failed)" or "…: no request was measured (all 40 fell in the warmup)". Empty when every
    /// run had a success.
    public var runProblems: [String] {
        runs.enumerated().compactMap { index, run in
            guard let succeeded = run.metricValue(at: "requests.succeeded")?.metricNumber, succeeded <= 0 else {
                return nil
            }
            let prefix = runs.count > 1 ? "run \(index + 1): " : ""
            let total = run.metricValue(at: "requests.total")?.metricInt ?? 0
            let warmup = run.metricValue(at: "requests.warmup_excluded")?.metricInt ?? 0
            if total == 0 {
                return prefix + "no request was measured"
                    + (warmup > 0 ? " (all \(warmup) fell in the warmup)" : " (none was sent)")
            }
            return prefix + "no request succeeded (\(total) of \(total) failed)"
        }
    }

    /// One line per run whose self-check failed (`self_check.trusted` false): its figures cannot be trusted at that
    /// load. Informational: it does not fail the gate (`fail_on_generator_bottleneck` judges the generator).
    public var selfCheckWarnings: [String] {
        runs.enumerated().compactMap { index, run in
            guard run.metricValue(at: "self_check.trusted") == .bool(false) else { return nil }
            let prefix = runs.count > 1 ? "run \(index + 1): " : ""
            var problems = 0
            if case .array(let items)? = run["self_check"]?["problems"] { problems = items.count }
            return prefix + "self-check NOT trusted (\(problems) problem" + (problems == 1 ? "" : "s")
                + ", see summary.json self_check.problems): these figures cannot be trusted at this load"
        }
    }
}
