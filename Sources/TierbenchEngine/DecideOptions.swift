import TierbenchCore

/// What `tierbench decide` was asked to do, after flag parsing.
public struct DecideOptions: Sendable {
    public var scenarioPath: String
    /// Prompts in the job; nil = the scenario's `budget.prompts_to_process`.
    public var prompts: Int?
    /// Synchronous workers; nil = the recommendation of `sweepDirectory` for the scenario's tier, else the
    /// scenario's `load.max_workers`.
    public var maxWorkers: Int?
    /// A sweep result folder whose recommendation for the tier gives the workers.
    public var sweepDirectory: String?
    /// Longest the synchronous side may run (wall clock); prompts still unanswered then count as failed.
    public var syncTimeout: TimeSpan = .seconds(6 * 3600)
    /// Where results go: `sync/`, `batch/` and decision.json; nil = `results/<name>-decide/<UTC time>/`.
    public var outputDirectory: String?
    public var resultsRoot = "results"
    public var priceFile: String?
    /// Load threads of the synchronous side.
    public var threads = 1

    public init(scenarioPath: String) {
        self.scenarioPath = scenarioPath
    }
}

/// What `tierbench decide` produced.
public struct DecideOutcome: Sendable {
    public var decision: BatchDecision
    public var directory: String
    /// decision.json as written.
    public var json: String
    /// Whether either side answered nothing (the decision is not worth a green exit).
    public var answeredNothing: Bool { decision.sync.succeeded == 0 || decision.batch.succeeded == 0 }
}
