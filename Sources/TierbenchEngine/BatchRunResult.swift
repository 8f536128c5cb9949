import TierbenchCore

/// What a batch run produced.
public struct BatchRunResult: Sendable {
    /// The summary; nil when the run stopped before every batch ended (the state file allows `--resume`).
    public var summary: BatchRunSummary?
    /// The summary as written to summary.json.
    public var summaryJSON: String?
    /// The result folder.
    public var directory: String
    /// The run stopped early (interrupt, `stopAfter`); the state is kept.
    public var interrupted = false
    /// The time limit passed before every batch ended; the state is kept.
    public var timedOut = false

    public init(summary: BatchRunSummary?, summaryJSON: String?, directory: String) {
        self.summary = summary
        self.summaryJSON = summaryJSON
        self.directory = directory
    }

    /// 0 when some line succeeded; 1 when none did or the time limit passed; 130 when interrupted.
    public var exitCode: Int32 {
        if interrupted { return ExitCodes.interrupted }
        guard let summary, !timedOut else { return ExitCodes.runFailed }
        return summary.outcomes.ok > 0 ? ExitCodes.success : ExitCodes.runFailed
    }
}
