import Foundation
import TierbenchCore

/// `tierbench batch prepare`: writes a scenario's batch input JSONL — the same request bodies as a sync run
/// (`RequestBodyFactory`), one line per request with `custom_id` `req-000001`… — split under every per-batch
/// limit (``BatchPlanner``), each file checked with the core ``BatchLineValidator`` as the server would.
///
/// Streams: one line is built, checked and written at a time; only the distinct bodies are held.
public enum BatchPrepare {
    /// One written input file.
    public struct File: Sendable, Equatable {
        /// The file's name in the output folder, e.g. `input-001.jsonl`.
        public var name: String
        public var shard: BatchPlanner.Shard
        /// Estimated cost at batch prices: input tokens × batch input + max_tokens × batch output; nil without a price.
        public var estimatedUSD: Double?
    }

    /// What `prepare` wrote.
    public struct Result: Sendable {
        public var directory: String
        public var files: [File]
        public var lines: Int
        /// The batch endpoint, e.g. `/v1/chat/completions`.
        public var endpoint: String
        public var model: String
        /// The enqueued-token budget the job was split under, if any.
        public var queueLimit: Int?
        /// Sum of the files' estimates; nil without a price for the model.
        public var estimatedUSD: Double?
    }

    /// The number of lines a scenario makes: `lines`, else `load.requests`, else one per distinct body.
    static func lineCount(_ loaded: ScenarioFile, bodies: Int, lines: Int?) -> Int {
        lines ?? loaded.scenario.load.requests ?? bodies
    }

    /// The batch endpoint of a scenario: `/v1` + the endpoint's path.
    static func endpoint(_ scenario: Scenario) -> String { "/v1" + scenario.endpoint.path }

    /// Writes the input files of `loaded` into `directory`.
    /// - Parameters:
    ///   - lines: how many lines (requests); nil = `load.requests`, else one per distinct body.
    ///   - queueLimit: the enqueued-token budget per batch (``BatchQueueBudget``), nil = none.
    ///   - prices: for the cost estimate.
    ///   - limits: the per-batch ceilings (tests lower them).
    /// - Throws: `.invalidInput` naming the first problems' lines and fixes; `.engine` for scenario and file errors.
    public static func prepare(
        _ loaded: ScenarioFile, directory: String, lines: Int? = nil, queueLimit: Int? = nil,
        prices: PriceTable = PriceCatalog.builtIn, limits: BatchPlanner.Limits? = nil, filePrefix: String = "input",
        enforceBudget: Bool = false
    ) throws(BatchWorkflowError) -> Result {
        let scenario = loaded.scenario
        guard !scenario.stream else {
            throw .invalidInput("\(loaded.path): stream: true — the Batch API does not stream (streaming_unsupported); "
                + "remove stream: true from the scenario")
        }
        let bodies: [RequestBody]
        do {
            bodies = try LoadPlanBuilder.requestBodies(loaded)
            try checkOutputBound(loaded, bodies: bodies)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch let error as EngineError {
            throw .engine(error)
        } catch {
            throw .engine(.cannotWrite(path: directory, reason: error.localizedDescription))
        }
        let count = lineCount(loaded, bodies: bodies.count, lines: lines)
        if let problem = BatchLimits.linesProblem(count) { throw .usage(problem) }
        if enforceBudget { try checkBudgetBeforeWriting(loaded, bodies: bodies, count: count, prices: prices) }
        let url = endpoint(scenario)
        let price = prices.modelPrice(for: scenario.model)
        var planner = BatchPlanner(limits: limits ?? BatchPlanner.Limits(maxInputTokens: queueLimit))
        var files: [File] = []
        var writer: BatchLineWriter?
        var validator = makeValidator(url)
        var problems = ProblemList()
        func finishFile() throws(BatchWorkflowError) {
            guard writer != nil else { return }
            validator.finish()
            for error in validator.errors {
                problems.add(error, file: files.last?.name ?? "", firstLine: files.last?.shard.firstLine ?? 0)
            }
            do { try writer?.close() } catch { throw .engine(error) }
            writer = nil
        }
        for index in 0..<count {
            let body = bodies[index % bodies.count]
            let line = BatchInputLine.bytes(customID: BatchInputLine.customID(index: index), url: url, body: body.bytes)
            let shardIndex: Int
            do {
                shardIndex = try planner.add(
                    byteCount: line.count + 1, inputTokens: body.estimatedPromptTokens,
                    embeddingInputs: scenario.endpoint == .embeddings ? body.promptCount : 0)
            } catch {
                throw .invalidInput("\(loaded.path): \(error.description)")
            }
            if shardIndex == files.count {
                try finishFile()
                validator = makeValidator(url)
                let name = fileName(prefix: filePrefix, index: shardIndex)
                do { writer = try BatchLineWriter(path: directory + "/" + name) } catch { throw .engine(error) }
                files.append(File(name: name, shard: BatchPlanner.Shard(firstLine: index), estimatedUSD: price.map { _ in 0 }))
            }
            let text = String(decoding: line, as: UTF8.self)
            _ = validator.check(Substring(text), number: index - files[shardIndex].shard.firstLine + 1)
            if let price {
                files[shardIndex].estimatedUSD? += price.batchUSD(
                    TokenUsage(prompt: body.estimatedPromptTokens, completion: body.maxCompletionTokens))
            }
            do { try writer?.write(line) } catch { throw .engine(error) }
        }
        try finishFile()
        for (index, shard) in planner.shards.enumerated() { files[index].shard = shard }
        if !problems.isEmpty {
            throw .invalidInput("\(loaded.path): the batch input would fail validation:\n  " + problems.rendered)
        }
        let total = price == nil ? nil : files.reduce(0.0) { $0 + ($1.estimatedUSD ?? 0) }
        return Result(directory: directory, files: files, lines: count, endpoint: url, model: scenario.model,
                      queueLimit: limits?.maxInputTokens ?? queueLimit, estimatedUSD: total)
    }

    /// With `budget.max_usd` set, a body that generates text must bound it (`max_tokens` / `max_completion_tokens`):
    /// otherwise the estimate could only guess the output side and the budget would bound nothing. Checked before
    /// any file is written.
    /// - Throws: `EngineError.invalidScenario` (exit 65).
    static func checkOutputBound(_ loaded: ScenarioFile, bodies: [RequestBody]) throws(EngineError) {
        guard loaded.scenario.budget.maxUSD != nil, loaded.scenario.endpoint != .embeddings,
              bodies.contains(where: { $0.maxTokens == nil }) else { return }
        throw .invalidScenario("\(loaded.path): budget.max_usd is set but the request template sets no max_tokens "
            + "(or max_completion_tokens); set max_tokens so the cost can be bounded")
    }

    /// The budget check of `checkBudget`, from the bodies alone (the same estimate: Σ over the `count` lines of
    /// input tokens × batch input price + max completion tokens × batch output price), before any input file is
    /// written.
    static func checkBudgetBeforeWriting(_ loaded: ScenarioFile, bodies: [RequestBody], count: Int, prices: PriceTable)
        throws(BatchWorkflowError)
    {
        guard let maxUSD = loaded.scenario.budget.maxUSD, !bodies.isEmpty else { return }
        guard let price = prices.modelPrice(for: loaded.scenario.model) else {
            throw .engine(.invalidScenario("\(loaded.path): budget.max_usd needs a price for model "
                + "\(loaded.scenario.model), and the price table (\(prices.date)) has none; pass --price-file FILE"))
        }
        var estimate = 0.0
        for (index, body) in bodies.enumerated() {
            let uses = count / bodies.count + (index < count % bodies.count ? 1 : 0)
            estimate += Double(uses) * price.batchUSD(
                TokenUsage(prompt: body.estimatedPromptTokens, completion: body.maxCompletionTokens))
        }
        guard estimate <= maxUSD else { throw .overBudget(estimateUSD: estimate, maxUSD: maxUSD) }
    }

    /// Refuses a prepared job whose estimate passes `budget.max_usd` (or that has no price to estimate it with).
    /// - Throws: `.overBudget` (exit 1), `.engine(.invalidScenario)` without a price (exit 65).
    public static func checkBudget(_ prepared: Result, loaded: ScenarioFile, prices: PriceTable) throws(BatchWorkflowError) {
        guard let maxUSD = loaded.scenario.budget.maxUSD else { return }
        guard let estimate = prepared.estimatedUSD else {
            throw .engine(.invalidScenario("\(loaded.path): budget.max_usd needs a price for model "
                + "\(loaded.scenario.model), and the price table (\(prices.date)) has none; pass --price-file FILE"))
        }
        guard estimate <= maxUSD else { throw .overBudget(estimateUSD: estimate, maxUSD: maxUSD) }
    }

    /// `input-001.jsonl` for shard 0.
    static func fileName(prefix: String, index: Int) -> String {
        let number = String(index + 1)
        return prefix + "-" + String(repeating: "0", count: max(0, 3 - number.count)) + number + ".jsonl"
    }

    static func makeValidator(_ endpoint: String) -> BatchLineValidator {
        BatchLineValidator(endpoint: endpoint, isBatchModel: { !BatchLimits.unsupportedModels.contains($0) })
    }

    /// Validation problems, the same problem on many lines told once with its count.
    struct ProblemList {
        private var order: [String] = []
        private var groups: [String: (text: String, more: Int)] = [:]

        var isEmpty: Bool { order.isEmpty }

        mutating func add(_ error: BatchError, file: String, firstLine: Int) {
            let key = [file, error.code ?? "", error.param ?? "", error.message].joined(separator: "\u{1}")
            if groups[key] != nil {
                groups[key]?.more += 1
            } else {
                order.append(key)
                groups[key] = (BatchPrepare.describe(error, file: file, firstLine: firstLine), 0)
            }
        }

        /// One line per distinct problem (at most 20), each with how many more lines have it.
        var rendered: String {
            var lines = order.prefix(20).compactMap { key -> String? in
                guard let group = groups[key] else { return nil }
                return group.more == 0 ? group.text : group.text + " (and \(group.more) more lines like it)"
            }
            if order.count > 20 { lines.append("… and \(order.count - 20) more kinds of problem") }
            return lines.joined(separator: "\n  ")
        }
    }

    /// A validation error as `input-001.jsonl line 3 (job line 3): code (param): message — fix`.
    static func describe(_ error: BatchError, file: String, firstLine: Int) -> String {
        var text = file
        if let line = error.line { text += " line \(line) (custom_id \(BatchInputLine.customID(index: firstLine + line - 1)))" }
        text += ": "
        if let code = error.code { text += code }
        if let param = error.param { text += " (\(param))" }
        text += ": \(error.message)"
        if let fix = fix(for: error) { text += " — \(fix)" }
        return text
    }

    /// What to change in the scenario for a validation error.
    static func fix(for error: BatchError) -> String? {
        switch error.code {
        case "model_not_found": return "pick a model the Batch API supports (set model: in the scenario)"
        case "streaming_unsupported": return "remove stream: true"
        case "invalid_json_line": return "check the request template and the prompts file"
        case "invalid_request": return "the request template lacks a field the endpoint needs (\(error.param ?? "?"))"
        case "duplicate_custom_id": return "custom ids are generated; this is a tierbench bug, please report it"
        case "model_mismatch": return "every line must use one model; remove model from the prompts' request bodies"
        default: return nil
        }
    }
}
