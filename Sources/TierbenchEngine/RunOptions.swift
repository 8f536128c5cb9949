import TierbenchCore
import TierbenchMock

/// What `tierbench run` was asked to do, after flag parsing.
public struct RunOptions: Sendable {
    /// Path of the scenario file (YAML or JSON).
    public var scenarioPath: String
    /// Directory to write summary.json and requests.jsonl into; nil = `results/<name>/<UTC timestamp>/`.
    public var outputDirectory: String?
    /// Root for the default output directory.
    public var resultsRoot: String = "results"
    /// Number of curl loop threads (the workers are split between them).
    public var threads: Int = 1
    /// Overrides of the scenario's `load:` values, e.g. from `--duration 10s`.
    public var maxWorkers: Int?
    public var duration: TimeSpan?
    public var requests: Int?
    /// Write requests.jsonl (one line per request).
    public var writeRequestLog: Bool = true
    /// A price table (JSON, USD per 1M tokens) replacing the built-in one; nil = built-in.
    public var priceFile: String?

    public init(scenarioPath: String) {
        self.scenarioPath = scenarioPath
    }
}

/// What a finished run produced.
public struct RunReport: Sendable {
    /// The summary that was written to summary.json.
    public var summary: RunSummary
    /// The directory holding summary.json and requests.jsonl.
    public var directory: String
    /// The summary as JSON text (as written).
    public var summaryJSON: String
    /// What the built-in mock counted, when the run used it.
    public var mockStats: MockStats?
    /// Whether the run was interrupted (and so shorter than asked).
    public var interrupted: Bool
    /// Everything measured, merged across load threads (for analyses beyond the summary, e.g. goodput).
    public var recorder: MetricsRecorder

    /// The documented exit code: interrupted (130), nothing succeeded (1), or success (0).
    public var exitCode: Int32 {
        if interrupted { return ExitCodes.interrupted }
        if summary.requests.total > 0, summary.requests.succeeded == 0 { return ExitCodes.runFailed }
        return ExitCodes.success
    }
}
