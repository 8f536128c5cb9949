/// Splits a batch job into batch input files that each respect every per-batch ceiling at once: at most 50,000
/// lines, at most 200 MB, at most 50,000 embedding inputs, and (when given) at most the tier's enqueued-token budget
/// for the model (batch-api.md §6, §14.1).
///
/// Lines keep their order: a shard is a run of consecutive lines, and a new shard starts when the next line would
/// break a limit of the current one. Feed lines one at a time with ``add(byteCount:inputTokens:embeddingInputs:)``
/// (so the job never has to be held in memory), or plan a list at once with ``plan(_:limits:)``.
public struct BatchPlanner: Sendable {
    /// The ceilings one batch must stay under.
    public struct Limits: Sendable, Equatable {
        /// Most lines (requests) per batch.
        public var maxLines: Int
        /// Most bytes per input file (each line's UTF-8 bytes plus its newline).
        public var maxBytes: Int
        /// Most embedding inputs per `/v1/embeddings` batch.
        public var maxEmbeddingInputs: Int
        /// Most estimated input tokens per batch (the tier's enqueued-token limit for the model); nil = no limit.
        public var maxInputTokens: Int?

        /// OpenAI's fixed limits (`BatchLimits`) and, optionally, a token budget.
        public init(
            maxLines: Int = BatchLimits.maxRequests, maxBytes: Int = BatchLimits.maxInputBytes,
            maxEmbeddingInputs: Int = BatchLimits.maxEmbeddingInputs, maxInputTokens: Int? = nil
        ) {
            self.maxLines = max(1, maxLines)
            self.maxBytes = max(1, maxBytes)
            self.maxEmbeddingInputs = max(1, maxEmbeddingInputs)
            self.maxInputTokens = maxInputTokens.map { max(1, $0) }
        }
    }

    /// One planned batch: a run of consecutive lines and what they add up to.
    public struct Shard: Sendable, Equatable, Codable {
        /// Index (from 0) of the shard's first line in the whole job.
        public var firstLine: Int
        public var lineCount: Int
        public var byteCount: Int
        public var inputTokens: Int
        public var embeddingInputs: Int

        public init(firstLine: Int, lineCount: Int = 0, byteCount: Int = 0, inputTokens: Int = 0, embeddingInputs: Int = 0) {
            self.firstLine = firstLine
            self.lineCount = lineCount
            self.byteCount = byteCount
            self.inputTokens = inputTokens
            self.embeddingInputs = embeddingInputs
        }

        enum CodingKeys: String, CodingKey {
            case firstLine = "first_line", lineCount = "lines", byteCount = "bytes", inputTokens = "input_tokens"
            case embeddingInputs = "embedding_inputs"
        }
    }

    /// One line's size.
    public struct Line: Sendable, Equatable {
        public var byteCount: Int
        public var inputTokens: Int
        public var embeddingInputs: Int
        public init(byteCount: Int, inputTokens: Int, embeddingInputs: Int = 0) {
            self.byteCount = byteCount
            self.inputTokens = inputTokens
            self.embeddingInputs = embeddingInputs
        }
    }

    public let limits: Limits
    /// The shards so far; the last one is still being filled.
    public private(set) var shards: [Shard] = []
    /// Lines added so far.
    public private(set) var lineCount = 0

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Adds the next line and returns the index of the shard it goes to.
    /// - Throws: `BatchPlanError` when the line alone breaks a limit (it fits in no batch).
    @discardableResult
    public mutating func add(byteCount: Int, inputTokens: Int, embeddingInputs: Int = 0) throws(BatchPlanError) -> Int {
        let number = lineCount + 1
        if byteCount > limits.maxBytes {
            throw BatchPlanError(line: number, message: "is \(byteCount) bytes, more than a batch file may hold (\(limits.maxBytes))",
                                 hint: "shorten the prompt or the request template")
        }
        if embeddingInputs > limits.maxEmbeddingInputs {
            throw BatchPlanError(line: number, message: "has \(embeddingInputs) embedding inputs, more than a batch may hold (\(limits.maxEmbeddingInputs))",
                                 hint: "lower batch_size")
        }
        if let budget = limits.maxInputTokens, inputTokens > budget {
            throw BatchPlanError(line: number, message: "has about \(inputTokens) input tokens, more than the enqueued-token budget of \(budget) for one batch",
                                 hint: "raise the queue limit (a higher tier, or --queue-limit) or shorten the prompt")
        }
        if shards.isEmpty || !fits(shards[shards.count - 1], byteCount: byteCount, inputTokens: inputTokens, embeddingInputs: embeddingInputs) {
            shards.append(Shard(firstLine: lineCount))
        }
        let index = shards.count - 1
        shards[index].lineCount += 1
        shards[index].byteCount += byteCount
        shards[index].inputTokens += inputTokens
        shards[index].embeddingInputs += embeddingInputs
        lineCount += 1
        return index
    }

    /// Plans `lines` at once.
    public static func plan(_ lines: some Sequence<Line>, limits: Limits) throws(BatchPlanError) -> [Shard] {
        var planner = BatchPlanner(limits: limits)
        for line in lines {
            try planner.add(byteCount: line.byteCount, inputTokens: line.inputTokens, embeddingInputs: line.embeddingInputs)
        }
        return planner.shards
    }

    private func fits(_ shard: Shard, byteCount: Int, inputTokens: Int, embeddingInputs: Int) -> Bool {
        guard shard.lineCount + 1 <= limits.maxLines else { return false }
        guard shard.byteCount + byteCount <= limits.maxBytes else { return false }
        guard shard.embeddingInputs + embeddingInputs <= limits.maxEmbeddingInputs else { return false }
        if let budget = limits.maxInputTokens, shard.inputTokens + inputTokens > budget { return false }
        return true
    }
}

/// A line that fits in no batch: which line, what is wrong and how to fix it.
public struct BatchPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number in the job.
    public var line: Int
    public var message: String
    public var hint: String

    public init(line: Int, message: String, hint: String) {
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String { "batch input line \(line) \(message); \(hint)" }
}
