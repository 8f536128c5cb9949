/// How long a Batch API job of N lines takes, from one measured batch: its validating, in-progress and finalizing
/// times for `measuredLines` lines, and the limits that split a large job.
///
/// A job is cut into batches of at most `linesPerBatch` lines: 50,000, and fewer when the model's enqueued-token
/// limit holds fewer lines' tokens. As many batches run at once as the limit holds; the rest wait for a round
/// to finish (that is what `token_limit_exceeded` forces on a client). A round of batches of L lines takes
///
///     validating + L · (in_progress / measuredLines) + finalizing
///
/// — in-progress time scales with the lines (queue delay included, so a large job is not flattered), and the
/// fixed phases are paid once per round.
public struct BatchJobModel: Sendable, Equatable, Codable {
    public var validatingSeconds: Double
    public var inProgressSeconds: Double
    public var finalizingSeconds: Double
    /// Lines of the measured batch.
    public var measuredLines: Int
    /// Estimated input tokens per line (what the queue limit counts).
    public var tokensPerLine: Double
    /// The model's enqueued-token limit at the tier; nil = none known.
    public var queueTokenLimit: Int?

    enum CodingKeys: String, CodingKey {
        case validatingSeconds = "validating_s"
        case inProgressSeconds = "in_progress_s"
        case finalizingSeconds = "finalizing_s"
        case measuredLines = "measured_lines"
        case tokensPerLine = "tokens_per_line"
        case queueTokenLimit = "queue_token_limit"
    }

    public init(
        validatingSeconds: Double, inProgressSeconds: Double, finalizingSeconds: Double, measuredLines: Int,
        tokensPerLine: Double, queueTokenLimit: Int?
    ) {
        self.validatingSeconds = max(validatingSeconds, 0)
        self.inProgressSeconds = max(inProgressSeconds, 0)
        self.finalizingSeconds = max(finalizingSeconds, 0)
        self.measuredLines = max(measuredLines, 1)
        self.tokensPerLine = max(tokensPerLine, 0)
        self.queueTokenLimit = queueTokenLimit
    }

    /// Lines one batch may hold: 50,000, or what the queue limit holds if less; 0 when one line does not fit.
    public var linesPerBatch: Int {
        guard let limit = queueTokenLimit, tokensPerLine > 0 else { return BatchLimits.maxRequests }
        let fitting = Double(limit) / tokensPerLine
        return fitting >= Double(BatchLimits.maxRequests) ? BatchLimits.maxRequests : Int(fitting)
    }

    /// Batches of `linesPerBatch` that run at once within the queue limit (at least one).
    public var batchesAtOnce: Int {
        guard let limit = queueTokenLimit, tokensPerLine > 0, linesPerBatch > 0 else { return Int.max }
        let each = Double(linesPerBatch) * tokensPerLine
        return max(1, Int(min(Double(limit) / each, 1e9)))
    }

    /// Seconds per line while in progress.
    public var secondsPerLine: Double { inProgressSeconds / Double(measuredLines) }

    /// Whether a full batch would run past the 24-hour completion window (it would expire with partial output).
    public var batchExceedsWindow: Bool {
        validatingSeconds + Double(linesPerBatch) * secondsPerLine + finalizingSeconds
            > Double(BatchLimits.completionWindowSeconds)
    }

    /// Seconds to finish `lines` lines; infinity when a single line exceeds the queue limit.
    public func seconds(forLines lines: Int) -> Double {
        guard lines > 0 else { return 0 }
        let perBatch = linesPerBatch
        guard perBatch > 0 else { return .infinity }
        let batches = SyncJobModel.ceilingDivide(lines, perBatch)
        let atOnce = batchesAtOnce
        let fullRounds = (batches - 1) / atOnce  // rounds before the last, each of full batches
        let lastRoundLines = lines - fullRounds * atOnce * perBatch
        let lastLongest = min(lastRoundLines, perBatch)
        let fixed = validatingSeconds + finalizingSeconds
        return Double(fullRounds) * (fixed + Double(perBatch) * secondsPerLine)
            + fixed + Double(lastLongest) * secondsPerLine
    }
}
