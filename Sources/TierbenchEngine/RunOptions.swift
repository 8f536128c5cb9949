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
    public var warmup: TimeSpan?
    /// A `retry:` section for a scenario without one (`ScenarioOverrides.defaultRetry`).
    public var defaultRetry: [(key: String, value: String)]?

    /// The `load:` overrides, checked by the scenario loader with the file's own rules.
    var overrides: ScenarioOverrides {
        ScenarioOverrides(
            maxWorkers: maxWorkers.map(String.init), duration: duration?.description, requests: requests.map(String.init),
            warmup: warmup?.description, defaultRetry: defaultRetry)
    }
    /// Write requests.jsonl (one line per request).
    public var writeRequestLog: Bool = true
    /// Called about four times a second with the live figures (progress display); nil = no live sampling unless
    /// the scenario has `alerts:` or `abort_on_fail` thresholds, or `metricsPort` is set.
    public var onSample: (@Sendable (LiveSample) -> Void)?
    /// Called when one of the scenario's `alerts:` fires.
    public var onAlert: (@Sendable (AlertMonitor.Event) -> Void)?
    /// Serve the harness's Prometheus metrics on `metricsHost` at this port while the run lasts (0 = a free port).
    public var metricsPort: Int?
    /// The host the metrics endpoint binds (`--metrics-address`); loopback unless asked otherwise.
    public var metricsHost: String = MetricsAddress.loopbackHost
    /// How long the metrics endpoint keeps serving the final figures after the run (`--metrics-linger`), so the
    /// last scrape is not lost; at most `RunOptions.maxMetricsLinger`, cut short by the run's interrupt.
    public var metricsLinger: TimeSpan = .zero
    /// The longest `metricsLinger` honoured.
    public static let maxMetricsLinger = TimeSpan(nanoseconds: 600_000_000_000)
    /// Called with the bound metrics port once the endpoint listens.
    public var onMetricsListening: (@Sendable (Int) -> Void)?
    /// Stop early when an `abort_on_fail` threshold can no longer pass (a sweep's points turn this off).
    public var abortOnFail: Bool = true
    /// A price table (JSON, USD per 1M tokens) replacing the built-in one; nil = built-in.
    public var priceFile: String?
    /// This run's slice of a sharded plan (`--shard`, `--shards`, `TIERBENCH_SHARD`); nil = unsharded. A shard
    /// judges no threshold, baseline or abort gate: `tierbench merge` does.
    public var shard: ShardAssignment?
    /// Wait until this wall-clock time before sending, and anchor the run's origin there (`--start-at`).
    public var startAt: ShardStartTime?
    /// How far past `startAt` the run may still begin (`--start-tolerance`).
    public var startTolerance: TimeSpan = StartGate.defaultTolerance
    /// Test-only (`@testable`): CPU time (ns) burnt in every body callback, to overload the client's loop on purpose
    /// (the self-check's loop-lag test). 0 in every real run; no flag sets it.
    var burnNanosPerBody: UInt64 = 0

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
    /// Whether the run was interrupted by SIGINT (and so shorter than asked).
    public var interrupted: Bool
    /// The `abort_on_fail` threshold that stopped the run early, when one did.
    public var abortedBy: Threshold?
    /// Everything measured, merged across load threads (for analyses beyond the summary, e.g. goodput).
    public var recorder: MetricsRecorder
    /// The `alerts:` that fired during the run, in order.
    public var alerts: [AlertMonitor.Event] = []
    /// One-line notes for the console about how the run was carried out (e.g. a flag that did not apply).
    public var notes: [String] = []

    /// Whether an alert with `action: abort` stopped the run.
    public var abortedByAlert: Bool { alerts.contains { $0.rule.action == .abort } }

    /// The documented exit code. A shard: interrupted (130) or 0. Otherwise: an abort alert (2), interrupted (130), no measured request succeeded (1: every
    /// request failed, or all fell in the warmup), or success (0).
    public var exitCode: Int32 {
        if summary.shard != nil {
            // A shard judges nothing: only an interrupt changes its exit code (`tierbench merge` judges the run).
            return interrupted ? ExitCodes.interrupted : ExitCodes.success
        }
        if abortedByAlert { return ExitCodes.thresholdFailed }
        if interrupted { return ExitCodes.interrupted }
        if summary.requests.succeeded == 0 { return ExitCodes.runFailed }
        return ExitCodes.success
    }
}
