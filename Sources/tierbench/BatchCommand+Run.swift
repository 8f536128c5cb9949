import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench batch run SCENARIO`: the whole workflow with a resumable state file.
struct BatchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Prepare, upload, create, wait, download and reconcile in one step; resumable with --resume DIR.")

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    @Option(name: .long, help: "Result folder (default: results/<name>-batch/<UTC time>/).")
    var output: String?

    @Option(name: .long, help: "Resume the run in this result folder (its batch-state.json); nothing is uploaded or created twice.")
    var resume: String?

    @Option(name: .long, help: "Lines (requests) in the job (default: load.requests, else one per prompt).")
    var lines: Int?

    @Option(name: .long, help: "Resubmit retryable failed lines (expired, 429, 5xx) up to this many times as new batches with metadata.parent_batch (0 = never; a resumed run keeps its own).")
    var maxRounds = 0

    @Option(name: .long, help: "Enqueued-token budget per batch for splitting (default: the mock tier's batch_queue; none for a real target).")
    var queueLimit: Int?

    @Option(name: .long, help: "Longest wait for the batches, in seconds (default 90000 for a real target, 600 for the mock); the state is kept.")
    var timeout: Double?

    @Option(name: .long, help: "A price table (JSON, USD per 1M tokens) replacing the built-in one.")
    var priceFile: String?

    @Option(name: .long, help: "For target: mock, use a mock already running at this base URL (e.g. http://127.0.0.1:8080/v1 of `tierbench mock`) instead of one in this process; a run on it can be resumed after a kill.")
    var mockURL: String?

    @Flag(name: .long, help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let lines, let problem = BatchLimits.linesProblem(lines) { throw ValidationError(problem) }
        if maxRounds < 0 || maxRounds > 10 { throw ValidationError("--max-rounds must be between 0 and 10, got \(maxRounds).") }
        if let queueLimit, queueLimit < 1 { throw ValidationError("--queue-limit must be at least 1, got \(queueLimit).") }
        if let timeout, let problem = BatchLimits.timeoutProblem(timeout) { throw ValidationError(problem) }
        if resume != nil, output != nil { throw ValidationError("--resume DIR already names the result folder; drop --output.") }
    }

    func run() async throws {
        var options = BatchRunOptions()
        options.outputDirectory = output
        options.resumeDirectory = resume
        options.lines = lines
        options.maxRounds = maxRounds
        options.queueLimit = queueLimit
        options.timeout = timeout
        options.priceFile = priceFile
        options.mockBaseURL = mockURL
        let interrupt = options.interrupt
        let trap = InterruptTrap { interrupt.interrupt() }
        defer { trap.cancel() }
        let quiet = self.quiet
        let result: BatchRunResult
        do {
            result = try await BatchWorkflow.run(scenario: scenario, options: options) { progress in
                if !quiet { BatchCommand.note(progress.message) }
            }
        } catch {
            Console.error(error.description)
            if case .api = error { Console.error("the state is kept; continue with --resume DIR (the result folder)") }
            throw ExitCode(error.exitCode)
        }
        if result.interrupted {
            Console.error("interrupted: the state is kept in \(result.directory); continue with "
                + "`tierbench batch run \(scenario) --resume \(result.directory)` (the batches keep running)")
        } else if result.timedOut {
            Console.error("the batches have not ended; continue with `tierbench batch run \(scenario) --resume \(result.directory)`")
        } else if let summary = result.summary {
            if json, let text = result.summaryJSON {
                Console.out(text)
            } else if !quiet {
                Console.out(BatchCommand.render(summary, directory: result.directory))
            }
            if summary.outcomes.ok == 0 {
                Console.error("exit code 1: no line of the batch succeeded")
            }
        }
        if result.exitCode != ExitCodes.success { throw ExitCode(result.exitCode) }
    }
}
