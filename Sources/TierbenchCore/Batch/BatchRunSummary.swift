/// The `summary.json` of a batch run (`tierbench batch run` / `retrieve`), documented in
/// docs/batch-summary.schema.json: lines by outcome, tokens, cost at batch prices, time in each phase from the
/// batches' `*_at` stamps, time to completion and lines per second.
///
/// Times from the stamps are in the API's clock (virtual time on the mock, where `time_scale` compresses it);
/// `wall_s` is this process's wall clock.
public struct BatchRunSummary: Sendable, Codable, Equatable {
    /// Lines per outcome.
    public struct Outcomes: Sendable, Codable, Equatable {
        public var ok = 0, httpError = 0, expired = 0, failed = 0, missing = 0
        public init() {}
        enum CodingKeys: String, CodingKey { case ok, expired, failed, missing, httpError = "http_error" }
    }

    /// Token totals.
    public struct Tokens: Sendable, Codable, Equatable {
        public var input = 0, cachedInput = 0, output = 0, reasoning = 0, total = 0
        /// `batch_usage` (the batches' `usage`) or `output_lines` (summed over the output lines when a batch had none).
        public var source = "batch_usage"
        public init() {}

        /// Adds counts, saturating at `Int.max` (a hostile figure never traps).
        mutating func add(input: Int, cached: Int, output: Int, reasoning: Int) {
            self.input = TokenUsage.saturatingSum(self.input, max(0, input))
            cachedInput = TokenUsage.saturatingSum(cachedInput, max(0, cached))
            self.output = TokenUsage.saturatingSum(self.output, max(0, output))
            self.reasoning = TokenUsage.saturatingSum(self.reasoning, max(0, reasoning))
        }

        enum CodingKeys: String, CodingKey {
            case input, output, reasoning, total, source
            case cachedInput = "cached_input"
        }
    }

    /// Cost at batch prices.
    public struct Cost: Sendable, Codable, Equatable {
        /// USD of the tokens used (nil without a price for the model, or when lines succeeded but neither the
        /// batches nor the lines reported usage: then `note` says so).
        public var usd: Double?
        /// Why `usd` is nil although a price is known.
        public var note: String?
        /// The pre-submit estimate: input tokens × batch input price + max_tokens × batch output price.
        public var estimateUSD: Double?
        /// `budget.max_usd`, if set.
        public var maxUSD: Double?
        public var batchInputPerMillion: Double?
        public var batchOutputPerMillion: Double?
        public var priceDate: String
        public init(priceDate: String) { self.priceDate = priceDate }
        enum CodingKeys: String, CodingKey {
            case usd, note
            case estimateUSD = "estimate_usd", maxUSD = "max_usd", batchInputPerMillion = "batch_input_per_million"
            case batchOutputPerMillion = "batch_output_per_million", priceDate = "price_date"
        }
    }

    /// Seconds in each phase (nil when the batch never entered or left it).
    public struct Phases: Sendable, Codable, Equatable {
        public var validatingS: Double?
        public var inProgressS: Double?
        public var finalizingS: Double?
        public init(validatingS: Double? = nil, inProgressS: Double? = nil, finalizingS: Double? = nil) {
            self.validatingS = validatingS
            self.inProgressS = inProgressS
            self.finalizingS = finalizingS
        }
        enum CodingKeys: String, CodingKey {
            case validatingS = "validating_s", inProgressS = "in_progress_s", finalizingS = "finalizing_s"
        }
    }

    /// One batch of the run.
    public struct Batch: Sendable, Codable, Equatable {
        public var id: String
        public var round: Int
        public var parentBatch: String?
        public var status: String
        public var lines: Int
        public var requestCounts: [String: Int]
        public var createdAt: Int
        public var endedAt: Int?
        public var phases: Phases
        /// Seconds from `created_at` to the terminal stamp.
        public var completionS: Double?
        public var errors: [String]
        enum CodingKeys: String, CodingKey {
            case id, round, status, lines, phases, errors
            case parentBatch = "parent_batch", requestCounts = "request_counts", createdAt = "created_at"
            case endedAt = "ended_at", completionS = "completion_s"
        }
    }

    public var kind = "batch"
    public var tierbenchVersion = TierbenchVersion.string
    public var runID: String
    public var scenario: String
    public var target: String
    public var endpoint: String
    public var model: String
    public var startedAt: String
    public var endedAt: String
    public var lines: Int
    public var outcomes = Outcomes()
    /// Lines per HTTP status of the http_error lines (keys are the status as text).
    public var httpStatuses: [String: Int] = [:]
    public var errorCodes: [String: Int] = [:]
    public var duplicates = 0
    public var unknownIDs = 0
    public var unreadableLines = 0
    /// Lines whose usage had a field out of `0…TokenUsage.maximumField` (not summed).
    public var invalidUsageLines = 0
    /// Lines with a 2xx status in the error file, or with neither a response nor an error.
    public var inconsistentLines = 0
    public var anomalyExamples: [String] = []
    public var tokens = Tokens()
    public var cost: Cost
    /// Phase seconds summed over the batches (with several batches at once the sum can exceed time_to_completion_s).
    public var phases = Phases()
    /// First `created_at` to last terminal stamp, seconds (API clock).
    public var timeToCompletionS: Double?
    /// This process's wall clock from start to end (a resumed run counts the time in between).
    public var wallS: Double
    /// ok lines / time_to_completion_s.
    public var linesPerS: Double?
    public var rounds: Int
    /// Lines resubmitted in later rounds (a line resubmitted twice counts twice).
    public var resubmittedLines = 0
    public var batches: [Batch] = []
    /// The run stopped before every batch ended (interrupt, time limit); the state file allows `--resume`.
    public var interrupted = false

    enum CodingKeys: String, CodingKey {
        case kind, scenario, target, endpoint, model, lines, outcomes, duplicates, tokens, cost, phases, rounds
        case batches, interrupted
        case tierbenchVersion = "tierbench_version", runID = "run_id", startedAt = "started_at", endedAt = "ended_at"
        case httpStatuses = "http_statuses", errorCodes = "error_codes", unknownIDs = "unknown_ids"
        case unreadableLines = "unreadable_lines", invalidUsageLines = "invalid_usage_lines", inconsistentLines = "inconsistent_lines", anomalyExamples = "anomaly_examples"
        case resubmittedLines = "resubmitted_lines"
        case timeToCompletionS = "time_to_completion_s", wallS = "wall_s", linesPerS = "lines_per_s"
    }

    /// A batch of the run as summarised.
    public struct Input: Sendable {
        public var batch: BatchObject
        public var round: Int
        public var parentBatch: String?
        public var lines: Int
        public init(batch: BatchObject, round: Int, parentBatch: String?, lines: Int) {
            self.batch = batch
            self.round = round
            self.parentBatch = parentBatch
            self.lines = lines
        }
    }

    public init(runID: String, scenario: String, target: String, endpoint: String, model: String, startedAt: String,
                endedAt: String, lines: Int, cost: Cost, wallS: Double, rounds: Int) {
        self.runID = runID
        self.scenario = scenario
        self.target = target
        self.endpoint = endpoint
        self.model = model
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.lines = lines
        self.cost = cost
        self.wallS = wallS
        self.rounds = rounds
    }

    /// Fills outcomes, tokens, cost, phases and times from the batches and the tally.
    /// - Parameters:
    ///   - lineUsageFallback: per batch id, the usage summed over its output lines (used when a batch has no `usage`).
    ///   - price: the model's price (batch prices: `effectiveBatchInput/Output`); nil = no cost.
    public mutating func fill(batches inputs: [Input], tally: BatchOutcomeTally, lineUsageFallback: [String: TokenUsage],
                              price: PriceTable.ModelPrice?) {
        outcomes.ok = tally.count(.ok)
        outcomes.httpError = tally.count(.httpError)
        outcomes.expired = tally.count(.expired)
        outcomes.failed = tally.count(.failed)
        outcomes.missing = tally.count(.missing)
        httpStatuses = Dictionary(uniqueKeysWithValues: tally.httpStatuses.map { (String($0.key), $0.value) })
        errorCodes = tally.errorCodes
        duplicates = tally.anomalies.duplicates
        unknownIDs = tally.anomalies.unknownIDs
        unreadableLines = tally.anomalies.unreadable
        invalidUsageLines = tally.anomalies.invalidUsage
        inconsistentLines = tally.anomalies.inconsistent
        anomalyExamples = tally.anomalies.examples

        var tokens = Tokens()
        var usd = 0.0
        var firstCreated: Int?
        var lastEnded: Int?
        var phases = Phases()
        func add(_ value: Double?, to total: inout Double?) {
            guard let value else { return }
            total = (total ?? 0) + value
        }
        for input in inputs {
            let batch = input.batch
            let fallback = lineUsageFallback[batch.id] ?? .zero
            let usage: TokenUsage
            // The batch's own usage, unless it is absent or all zero while the lines reported tokens.
            if let own = batch.usage, own.inputTokens > 0 || own.outputTokens > 0 || fallback == .zero {
                tokens.add(input: own.inputTokens, cached: own.cachedTokens, output: own.outputTokens,
                           reasoning: own.reasoningTokens)
                usage = TokenUsage(prompt: own.inputTokens, completion: own.outputTokens, cachedPrompt: own.cachedTokens)
            } else {
                tokens.add(input: fallback.prompt, cached: fallback.cachedPrompt, output: fallback.completion, reasoning: 0)
                if fallback != .zero { tokens.source = "output_lines" }
                usage = fallback
            }
            if let price { usd += price.batchUSD(usage) }
            let entry = Self.entry(input)
            firstCreated = min(firstCreated ?? batch.createdAt, batch.createdAt)
            if let end = entry.endedAt { lastEnded = max(lastEnded ?? end, end) }
            add(entry.phases.validatingS, to: &phases.validatingS)
            add(entry.phases.inProgressS, to: &phases.inProgressS)
            add(entry.phases.finalizingS, to: &phases.finalizingS)
            if input.round > 0 { resubmittedLines += input.lines }
            batches.append(entry)
        }
        tokens.total = TokenUsage.saturatingSum(tokens.input, tokens.output)
        self.tokens = tokens
        self.phases = phases
        if let price {
            cost.batchInputPerMillion = price.effectiveBatchInput
            cost.batchOutputPerMillion = price.effectiveBatchOutput
            if outcomes.ok > 0, tokens.input == 0, tokens.output == 0 {
                cost.usd = nil
                cost.note = "lines succeeded but neither the batches nor the lines reported usage; the cost is unknown"
            } else {
                cost.usd = (usd * 1e6).rounded() / 1e6
            }
        }
        if let firstCreated, let lastEnded, lastEnded >= firstCreated {
            let seconds = Double(lastEnded) - Double(firstCreated)
            timeToCompletionS = seconds
            linesPerS = seconds > 0 ? (Double(outcomes.ok) / seconds * 1000).rounded() / 1000 : nil
        }
    }

    /// A batch's entry: status, counts, phase seconds from its stamps.
    static func entry(_ input: Input) -> Batch {
        let batch = input.batch
        let end = batch.completedAt ?? batch.failedAt ?? batch.expiredAt ?? batch.cancelledAt
        func span(_ from: Int?, _ to: Int?) -> Double? {
            guard let from, let to, to >= from else { return nil }
            return Double(to) - Double(from)
        }
        let validatingEnd = batch.inProgressAt ?? batch.failedAt ?? batch.cancellingAt
        let inProgressEnd = batch.finalizingAt ?? batch.expiredAt ?? batch.cancellingAt
        let phases = Phases(
            validatingS: span(batch.createdAt, validatingEnd),
            inProgressS: span(batch.inProgressAt, inProgressEnd),
            finalizingS: span(batch.finalizingAt, batch.completedAt ?? batch.expiredAt ?? batch.cancelledAt))
        return Batch(
            id: batch.id, round: input.round, parentBatch: input.parentBatch, status: batch.status.rawValue,
            lines: input.lines,
            requestCounts: ["total": batch.requestCounts.total, "completed": batch.requestCounts.completed,
                            "failed": batch.requestCounts.failed],
            createdAt: batch.createdAt, endedAt: end, phases: phases,
            completionS: span(batch.createdAt, end),
            errors: (batch.errors ?? []).map { error in
                var text = error.code.map { "\($0): " } ?? ""
                if let line = error.line { text += "line \(line): " }
                return text + error.message
            })
    }
}
