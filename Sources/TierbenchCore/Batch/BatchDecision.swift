/// `tierbench decide`: the same prompts sent both ways on the same tier — synchronous calls at a number of workers,
/// and the Batch API — measured side by side, with the job size from which the batch finishes first.
///
/// Times are in real units (a time-scaled mock's wall time multiplied back, a batch's from its `*_at` stamps).
public struct BatchDecision: Sendable, Equatable, Codable {
    /// One way of running the job, as measured.
    public struct Side: Sendable, Equatable, Codable {
        /// Prompts sent, answered successfully, and not answered successfully (after retries).
        public var prompts: Int
        public var succeeded: Int
        public var failed: Int
        /// From the first send (sync) or the upload (batch) to the last result.
        public var secondsToLastResult: Double
        /// At synchronous prices for the sync side, at batch prices for the batch side; nil when unpriced.
        public var costUSD: Double?
        /// 429 responses (sync) or lines answered 429 (batch).
        public var rateLimited: Int
        /// Retried requests (sync) or resubmitted lines (batch).
        public var retries: Int
        /// How it ran, e.g. "16 workers, 1 prompt a request" or "2 batches: validating 4 s, …".
        public var detail: String

        public init(
            prompts: Int, succeeded: Int, failed: Int, secondsToLastResult: Double, costUSD: Double?,
            rateLimited: Int, retries: Int, detail: String
        ) {
            self.prompts = prompts
            self.succeeded = succeeded
            self.failed = failed
            self.secondsToLastResult = secondsToLastResult
            self.costUSD = costUSD
            self.rateLimited = rateLimited
            self.retries = retries
            self.detail = detail
        }

        enum CodingKeys: String, CodingKey {
            case prompts, succeeded, failed
            case secondsToLastResult = "seconds_to_last_result"
            case costUSD = "cost_usd"
            case rateLimited = "rate_limited"
            case retries, detail
        }
    }

    public var tier: String
    public var model: String
    public var prompts: Int
    public var sync: Side
    public var batch: Side
    /// The models the projection uses, from the measurements and the tier's limits.
    public var syncModel: SyncJobModel
    public var batchModel: BatchJobModel
    /// What the models give for `prompts` (a check on them against the measured times).
    public var projectedSyncSeconds: Double?
    public var projectedBatchSeconds: Double?
    /// The smallest job (prompts) for which the batch finishes no later than sync; nil = none up to 10⁸.
    public var breakEvenPrompts: Int?
    public var verdict: String
    /// Caveats about the measurement (e.g. a time scale the machine could not keep up with).
    public var notes: [String] = []

    enum CodingKeys: String, CodingKey {
        case tier, model, prompts, sync, batch
        case syncModel = "sync_model"
        case batchModel = "batch_model"
        case projectedSyncSeconds = "projected_sync_seconds"
        case projectedBatchSeconds = "projected_batch_seconds"
        case breakEvenPrompts = "break_even_prompts"
        case verdict, notes
    }

    /// Assembles the decision and its verdict from the two measured sides and the models.
    /// - Parameter promptsPerLine: prompts one batch line carries.
    public init(
        tier: String, model: String, prompts: Int, sync: Side, batch: Side, syncModel: SyncJobModel,
        batchModel: BatchJobModel, promptsPerLine: Int = 1
    ) {
        self.tier = tier
        self.model = model
        self.prompts = prompts
        self.sync = sync
        self.batch = batch
        self.syncModel = syncModel
        self.batchModel = batchModel
        let lines = SyncJobModel.ceilingDivide(max(prompts, 0), max(promptsPerLine, 1))
        self.projectedSyncSeconds = Self.finite(syncModel.seconds(forPrompts: prompts))
        self.projectedBatchSeconds = Self.finite(batchModel.seconds(forLines: lines))
        self.breakEvenPrompts = BatchBreakEven.jobSize(sync: syncModel, batch: batchModel, promptsPerLine: promptsPerLine)
        self.verdict = Self.verdict(sync: sync, batch: batch, breakEven: breakEvenPrompts)
    }

    private static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    /// One sentence: which finishes first and by how much, which costs less, and from what size the batch wins.
    static func verdict(sync: Side, batch: Side, breakEven: Int?) -> String {
        var parts: [String] = []
        if sync.succeeded == 0 && batch.succeeded == 0 { return "neither way answered a prompt: no decision" }
        if sync.failed > 0 || batch.failed > 0 {
            parts.append("failed prompts: sync \(sync.failed), batch \(batch.failed)")
        }
        let syncTime = sync.secondsToLastResult
        let batchTime = batch.secondsToLastResult
        if batch.succeeded == 0 {
            parts.insert("sync: the batch answered nothing", at: 0)
        } else if sync.succeeded == 0 {
            parts.insert("batch: sync answered nothing", at: 0)
        } else if batchTime <= syncTime {
            parts.insert("batch: it finished \(SweepFormat.duration(syncTime - batchTime)) sooner", at: 0)
        } else {
            parts.insert("sync: it finished \(SweepFormat.duration(batchTime - syncTime)) sooner", at: 0)
        }
        if let syncCost = sync.costUSD, let batchCost = batch.costUSD, syncCost > 0 {
            let saving = 1 - batchCost / syncCost
            parts.append("the batch costs \(SweepFormat.percent(abs(saving))) \(saving >= 0 ? "less" : "more")")
        }
        if let breakEven {
            parts.append("the batch finishes first from \(BatchError.grouped(breakEven)) prompts")
        } else {
            parts.append("the batch never finishes first up to \(BatchError.grouped(BatchBreakEven.searchLimit)) prompts")
        }
        return parts.joined(separator: "; ")
    }

    /// The side-by-side table, the projection and the verdict, for the terminal and for docs.
    public func renderTable() -> String {
        func row(_ name: String, _ sync: String, _ batch: String) -> [String] { [name, sync, batch] }
        func cost(_ value: Double?) -> String { value.map(SweepFormat.dollars) ?? "-" }
        let rows = [
            row("prompts", BatchError.grouped(self.sync.prompts), BatchError.grouped(self.batch.prompts)),
            row("time to last result", SweepFormat.duration(self.sync.secondsToLastResult),
                SweepFormat.duration(self.batch.secondsToLastResult)),
            row("projected by the model", projectedSyncSeconds.map(SweepFormat.duration) ?? "-",
                projectedBatchSeconds.map(SweepFormat.duration) ?? "-"),
            row("cost", cost(self.sync.costUSD), cost(self.batch.costUSD)),
            row("succeeded", BatchError.grouped(self.sync.succeeded), BatchError.grouped(self.batch.succeeded)),
            row("failed", BatchError.grouped(self.sync.failed), BatchError.grouped(self.batch.failed)),
            row("429s", BatchError.grouped(self.sync.rateLimited), BatchError.grouped(self.batch.rateLimited)),
            row("retries", BatchError.grouped(self.sync.retries), BatchError.grouped(self.batch.retries)),
            row("how", self.sync.detail, self.batch.detail),
        ]
        var out = "\(model) at \(tier), \(BatchError.grouped(prompts)) prompts\n"
        out += SweepReport.alignedTable(header: ["", "sync", "Batch API"], rows: rows, rightAligned: [])
        if let breakEvenPrompts {
            out += "break-even job size: \(BatchError.grouped(breakEvenPrompts)) prompts "
                + "(from there the batch finishes no later than sync)\n"
        } else {
            out += "break-even job size: none up to \(BatchError.grouped(BatchBreakEven.searchLimit)) prompts "
                + "(sync is always faster here)\n"
        }
        out += "verdict: \(verdict)\n"
        for note in notes { out += "note: \(note)\n" }
        return out
    }
}
