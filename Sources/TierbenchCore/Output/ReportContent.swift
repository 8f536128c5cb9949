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

    /// Whether every threshold passed and no metric regressed.
    public var gatePassed: Bool { thresholds.allPassed && !(comparison?.hasRegression ?? false) }
}
