import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench batch prepare SCENARIO`: writes the batch input JSONL (split under every limit) and checks it.
struct BatchPrepareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Write the scenario's batch input JSONL (split under 50,000 lines, 200 MB and the token budget) and check it.")

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    @Option(name: .long, help: "Folder for the input files (default: results/<name>-batch-input/).")
    var output: String?

    @Option(name: .long, help: "Lines (requests) in the job (default: load.requests, else one per prompt).")
    var lines: Int?

    @Option(name: .long, help: "Enqueued-token budget per batch (default: the mock tier's batch_queue; none for a real target).")
    var queueLimit: Int?

    func validate() throws {
        if let lines, let problem = BatchLimits.linesProblem(lines) { throw ValidationError(problem) }
        if let queueLimit, queueLimit < 1 { throw ValidationError("--queue-limit must be at least 1, got \(queueLimit).") }
    }

    func run() async throws {
        do {
            let loaded = try ScenarioFile.load(path: scenario)
            let directory = output ?? "results/\(loaded.scenario.name)-batch-input"
            let result = try BatchPrepare.prepare(
                loaded, directory: directory, lines: lines,
                queueLimit: BatchQueueBudget.limit(for: loaded.scenario, override: queueLimit))
            for file in result.files {
                var line = "\(directory)/\(file.name): \(file.shard.lineCount) lines, \(file.shard.byteCount) bytes, "
                    + "~\(file.shard.inputTokens) input tokens"
                if let usd = file.estimatedUSD { line += String(format: ", at most $%.4f", usd) }
                Console.out(line)
            }
            if let limit = result.queueLimit { Console.out("split under an enqueued-token budget of \(limit) per batch") }
            Console.out("checked: \(result.lines) lines for \(result.endpoint) \(result.model), no problems")
        } catch let error as EngineError {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch let error as BatchWorkflowError {
            throw BatchCommand.fail(error)
        }
    }
}

/// `tierbench batch submit SCENARIO`: uploads input files and creates a batch from each.
struct BatchSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Upload input files (default: prepare them) and create one batch from each.")

    @OptionGroup var target: BatchTargetOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Input JSONL files to submit (default: prepare them from the scenario).")
    var input: [String] = []

    @Option(name: .long, help: "Folder for prepared input files (default: results/<name>-batch-input/).")
    var output: String?

    @Option(name: .long, help: "Lines when preparing (default: load.requests, else one per prompt).")
    var lines: Int?

    func validate() throws {
        if let lines, let problem = BatchLimits.linesProblem(lines) { throw ValidationError(problem) }
    }

    func run() async throws {
        let runID = BatchWorkflow.newRunID()
        try await target.withSession { session in
            let inputs = try files(session)
            // Each batch (its line names the run id) is printed as soon as it exists, so a later failure leaves none unreported.
            _ = try await session.submit(inputFiles: inputs, runID: runID) { Console.out(BatchCommand.describe($0)) }
        }
    }

    /// `--input` (checked line by line first), else the scenario's input files, prepared now and held to
    /// `budget.max_usd`.
    func files(_ session: BatchSession) throws(BatchWorkflowError) -> [String] {
        guard input.isEmpty else {
            try session.validateInputFiles(input)
            return input
        }
        let directory = output ?? "results/\(session.loaded.scenario.name)-batch-input"
        let prepared = try BatchPrepare.prepare(
            session.loaded, directory: directory, lines: lines,
            queueLimit: BatchQueueBudget.limit(for: session.loaded.scenario), enforceBudget: true)
        try BatchPrepare.checkBudget(prepared, loaded: session.loaded, prices: PriceCatalog.builtIn)
        return prepared.files.map { directory + "/" + $0.name }
    }
}

/// `tierbench batch status SCENARIO ID`.
struct BatchStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a batch's status and counts.")
    @OptionGroup var target: BatchTargetOptions
    @Argument(help: "The batch id (batch_…).") var id: String

    func run() async throws {
        try await target.withSession { session in
            Console.out(BatchCommand.describe(try await session.status(id)))
        }
    }
}

/// `tierbench batch wait SCENARIO ID`: polls with backoff until the batch ends.
struct BatchWaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Poll a batch (exponential backoff with jitter, honouring retry-after) until it ends.")
    @OptionGroup var target: BatchTargetOptions
    @Argument(help: "The batch id (batch_…).") var id: String
    @Option(name: .long, help: "Longest wait in seconds (default 90000: the 24 h window and a margin).")
    var timeout: Double = 90_000

    func validate() throws {
        if let problem = BatchLimits.timeoutProblem(timeout) { throw ValidationError(problem) }
    }

    func run() async throws {
        try await target.withSession { session in
            let batch = try await session.wait(id, timeout: timeout) { target.note($0) }
            Console.out(BatchCommand.describe(batch))
            if batch.status != .completed { throw ExitCode(ExitCodes.runFailed) }
            let counts = batch.requestCounts
            if counts.total > 0, counts.completed == 0 || counts.failed >= counts.total {
                Console.error("\(batch.id) completed, but none of its \(counts.total) lines succeeded")
                throw ExitCode(ExitCodes.runFailed)
            }
        }
    }
}

/// `tierbench batch retrieve SCENARIO ID`: downloads and reconciles.
struct BatchRetrieveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Download a finished batch's files, reconcile them by custom_id, write results.jsonl and summary.json.")
    @OptionGroup var target: BatchTargetOptions
    @Argument(help: "The batch id (batch_…).") var id: String
    @Option(name: .long, help: "Result folder (default: results/<batch id>/).") var output: String?
    @Option(name: .long, help: "The batch's input file, if you have it (default: download it).") var input: String?
    @Option(name: .long, help: "A price table replacing the built-in one.") var priceFile: String?

    func run() async throws {
        try await target.withSession { session in
            let directory = output ?? "results/\(id)"
            let result = try await session.retrieve(id, directory: directory, inputFile: input, priceFile: priceFile)
            if let summary = result.summary { Console.out(BatchCommand.render(summary, directory: directory)) }
            if result.exitCode != ExitCodes.success { throw ExitCode(result.exitCode) }
        }
    }
}

/// `tierbench batch cancel SCENARIO ID`.
struct BatchCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a batch (a batch that already ended answers 409).")
    @OptionGroup var target: BatchTargetOptions
    @Argument(help: "The batch id (batch_…).") var id: String

    func run() async throws {
        try await target.withSession { session in
            Console.out(BatchCommand.describe(try await session.cancel(id)))
        }
    }
}

/// `tierbench batch list SCENARIO`.
struct BatchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List batches, newest first.")
    @OptionGroup var target: BatchTargetOptions
    @Option(name: .long, help: "Most batches to show.") var limit = 20
    @Option(name: .customLong("run"), help: "Only the batches of this tierbench run id (metadata.tierbench_run).")
    var runID: String?

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit).") }
    }

    func run() async throws {
        try await target.withSession { session in
            let (batches, skipped) = try await session.list(limit: limit)
            for batch in batches where runID == nil || batch.metadataValue("tierbench_run") == runID {
                Console.out(BatchCommand.describe(batch))
            }
            if skipped > 0 { Console.error("\(skipped) listed item(s) could not be read as batches and were skipped") }
        }
    }
}
