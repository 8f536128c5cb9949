import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench decide SCENARIO`: the scenario's job both ways on the same tier — synchronous calls and the Batch
/// API — measured side by side, with the job size from which the batch finishes first.
struct DecideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Batch API or sync for this job on this tier? Runs the same prompts both ways and compares.",
        discussion: "Prints time to the last result, cost, failures, 429s and retries for each way, the projection "
            + "of both (RPM/TPM/RPD for sync; measured phases and the enqueued-token limit for the batch) and the "
            + "break-even job size. Writes decision.json, sync/ and batch/ (docs/batch.md). Exit 1 when either way "
            + "answered no prompt.")

    @Argument(help: "The scenario file: its prompts, request template, model and target (a mock tier or a real API).")
    var scenario: String

    @Option(name: .long, help: "Prompts in the job (default: budget.prompts_to_process).")
    var prompts: Int?

    @Option(name: .long, help: "Synchronous workers (default: --sweep's recommendation, else load.max_workers).")
    var maxWorkers: Int?

    @Option(name: .long, help: "A sweep result folder whose recommendation for the scenario's tier gives the workers.")
    var sweep: String?

    @Option(name: .long, help: "Longest the synchronous side may run, wall clock (default 6h).")
    var syncTimeout: String?

    @Option(name: .long, help: "Write results into this directory (default: results/<name>-decide/<UTC time>/).")
    var output: String?

    @Option(name: .long, help: "A price table (JSON, USD per 1M tokens) replacing the built-in one.")
    var priceFile: String?

    @Flag(name: .long, help: "Print decision.json on standard output instead of the table.")
    var json = false

    func validate() throws {
        if let prompts, !(1...10_000_000).contains(prompts) {
            throw ValidationError("--prompts must be 1…10,000,000; got \(prompts).")
        }
        if let maxWorkers, !(1...100_000).contains(maxWorkers) {
            throw ValidationError("--max-workers must be 1…100,000; got \(maxWorkers).")
        }
        if let syncTimeout {
            guard let span = TimeSpan.parse(syncTimeout), span > .zero, span <= .seconds(30 * 86_400) else {
                throw ValidationError("--sync-timeout needs a duration with a unit up to 30 days, e.g. 2h; got '\(syncTimeout)'.")
            }
        }
    }

    func run() async throws {
        var options = DecideOptions(scenarioPath: scenario)
        options.prompts = prompts
        options.maxWorkers = maxWorkers
        options.sweepDirectory = sweep
        if let span = syncTimeout.flatMap(TimeSpan.parse) { options.syncTimeout = span }
        options.outputDirectory = output
        options.priceFile = priceFile
        let outcome: DecideOutcome
        do {
            outcome = try await DecideRunner.run(options) { line in Console.error(line) }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if json {
            Console.out(outcome.json)
        } else {
            Console.out(outcome.decision.renderTable())
            Console.out("results: \(outcome.directory)")
        }
        if outcome.answeredNothing {
            Console.error("one side answered no prompt: this is not a decision (see sync/summary.json and batch/summary.json)")
            throw ExitCode(ExitCodes.runFailed)
        }
    }
}
