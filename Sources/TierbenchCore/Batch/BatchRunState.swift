/// What `tierbench batch run` has done so far, saved as `batch-state.json` in the result folder after every step,
/// so a killed run resumes (`--resume DIR`) without uploading a file or creating a batch twice (docs/batch.md).
///
/// The run id is written before any network call; it goes into every batch's `metadata` (`tierbench_run`), so a
/// batch whose create request was sent but whose id was never recorded is found again by listing batches.
public struct BatchRunState: Sendable, Codable, Equatable {
    /// The state file's name in the result folder.
    public static let fileName = "batch-state.json"
    /// The format version this build writes and reads.
    public static let formatVersion = 1

    /// One batch of the run: an input file and what happened to it.
    public struct Shard: Sendable, Codable, Equatable {
        /// Position in `shards`.
        public var index: Int
        /// 0 for the job's own batches; n for the n-th resubmission of failed lines.
        public var round: Int
        /// The batch whose failed lines this one resubmits (also its `metadata.parent_batch`).
        public var parentBatch: String?
        /// The input file, relative to the result folder.
        public var inputFile: String
        public var lineCount: Int
        public var byteCount: Int
        public var inputTokens: Int
        /// Estimated cost at batch prices (input tokens and `max_tokens`), USD; nil without a price.
        public var estimatedUSD: Double?
        /// The upload request was sent (so a missing `fileID` means it may exist on the server).
        public var uploadStarted = false
        public var fileID: String?
        /// The create request was sent (so a missing `batchID` means it may exist: look it up by metadata).
        public var createStarted = false
        public var batchID: String?
        /// The batch object as last polled.
        public var batch: JSONValue?
        /// Downloaded output and error files, relative to the result folder.
        public var outputFile: String?
        public var errorFile: String?
        /// Both files (those that exist) are on disk.
        public var downloaded = false

        public init(index: Int, round: Int, parentBatch: String? = nil, inputFile: String, lineCount: Int,
                    byteCount: Int, inputTokens: Int, estimatedUSD: Double?) {
            self.index = index
            self.round = round
            self.parentBatch = parentBatch
            self.inputFile = inputFile
            self.lineCount = lineCount
            self.byteCount = byteCount
            self.inputTokens = inputTokens
            self.estimatedUSD = estimatedUSD
        }

        /// The last polled status, if any.
        public var status: BatchStatus? {
            batch?["status"]?.stringValue.flatMap(BatchStatus.init(rawValue:))
        }

        /// Whether nothing more will happen to this shard: its batch is terminal and its files are on disk.
        public var isDone: Bool { downloaded && (status?.isTerminal ?? false) }

        enum CodingKeys: String, CodingKey {
            case index, round, batch, downloaded
            case parentBatch = "parent_batch", inputFile = "input_file", lineCount = "lines", byteCount = "bytes"
            case inputTokens = "input_tokens", estimatedUSD = "estimated_usd", uploadStarted = "upload_started"
            case fileID = "file_id", createStarted = "create_started", batchID = "batch_id"
            case outputFile = "output_file", errorFile = "error_file"
        }
    }

    public var version = BatchRunState.formatVersion
    /// `tb-` and 24 hex digits; the `metadata.tierbench_run` of every batch of the run.
    public var runID: String
    public var scenarioPath: String
    public var scenarioName: String
    /// The batch endpoint, e.g. `/v1/chat/completions`.
    public var endpoint: String
    public var model: String
    /// `mock` or the target's base URL (credentials removed).
    public var target: String
    /// Lines of the job (round 0).
    public var totalLines: Int
    /// Resubmission rounds allowed (`--max-rounds`).
    public var maxRounds: Int
    /// The enqueued-token budget per batch the run was planned under (`--queue-limit`, or the mock tier's
    /// `batch_queue`); a resumed run keeps it. nil = none (or a state file from before it was recorded).
    public var queueLimit: Int?
    /// UTC ISO 8601.
    public var startedAt: String
    /// The same moment in Unix seconds (for the wall time of a resumed run).
    public var startedAtUnix: Double
    public var shards: [Shard] = []
    /// summary.json and results.jsonl are written.
    public var finished = false

    public init(runID: String, scenarioPath: String, scenarioName: String, endpoint: String, model: String,
                target: String, totalLines: Int, maxRounds: Int, startedAt: String, startedAtUnix: Double) {
        self.runID = runID
        self.scenarioPath = scenarioPath
        self.scenarioName = scenarioName
        self.endpoint = endpoint
        self.model = model
        self.target = target
        self.totalLines = totalLines
        self.maxRounds = maxRounds
        self.startedAt = startedAt
        self.startedAtUnix = startedAtUnix
    }

    /// The highest round planned so far.
    public var lastRound: Int { shards.map(\.round).max() ?? 0 }

    /// The metadata every batch of this run carries: `tierbench_run`, `tierbench_shard` and, for a resubmission,
    /// `parent_batch`.
    public func metadata(for shard: Shard) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = [
            .init("tierbench_run", .string(runID)), .init("tierbench_shard", .string(String(shard.index))),
        ]
        if let parent = shard.parentBatch { members.append(.init("parent_batch", .string(parent))) }
        return members
    }

    enum CodingKeys: String, CodingKey {
        case version, model, target, shards, finished, endpoint
        case runID = "run_id", scenarioPath = "scenario_path", scenarioName = "scenario_name"
        case totalLines = "total_lines", maxRounds = "max_rounds", queueLimit = "queue_limit", startedAt = "started_at"
        case startedAtUnix = "started_at_unix"
    }
}
