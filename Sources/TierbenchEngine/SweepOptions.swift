import TierbenchCore

/// What `tierbench sweep` was asked to do, after flag parsing.
public struct SweepOptions: Sendable {
    /// The scenario file; it must have a `sweep:` section unless the axes come from flags.
    public var scenarioPath: String
    /// Directory for sweep.json, sweep.csv and the points; nil = `results/<name>/sweep-<UTC time>/`.
    public var outputDirectory: String?
    public var resultsRoot: String = "results"
    /// Curl loop threads per run.
    public var threads: Int = 1
    /// Overrides of the scenario's `sweep:` axes.
    public var maxWorkers: [Int]?
    public var batchSizes: [Int]?
    public var tiers: [String]?
    public var repetitions: Int?
    public var refine: Bool?
    /// Override of each point's `load.duration`.
    public var duration: TimeSpan?
    /// A price table (JSON, USD per 1M tokens) replacing the built-in one for every point's run (its summary's
    /// `cost`), the points' `cost_usd` and the comparison's cost figures; nil = built-in. Kept for `--resume`.
    public var priceFile: String?

    public init(scenarioPath: String) {
        self.scenarioPath = scenarioPath
    }
}

/// What a finished (or interrupted) sweep produced.
public struct SweepOutcome: Sendable {
    public var result: SweepResult
    /// The directory holding sweep.json, sweep.csv and points.jsonl.
    public var directory: String
    /// The sweep stopped before every point ran; `tierbench sweep --resume DIR` continues it.
    public var interrupted: Bool
    /// The sweep as JSON (as written to sweep.json).
    public var json: String

    /// 130 when interrupted, else 0.
    public var exitCode: Int32 { interrupted ? ExitCodes.interrupted : ExitCodes.success }
}
