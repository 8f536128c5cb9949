import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench batch …`: the OpenAI Batch API workflow against a scenario's target (docs/batch.md).
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run a scenario's prompts through the Batch API (files, batches, polling, reconciliation).",
        discussion: "`batch run` does everything in one step and can be resumed (--resume DIR); the other subcommands "
            + "are the single steps (docs/batch.md). Exit codes: 0 some line succeeded, 1 no line succeeded or a call "
            + "failed, 64 usage, 65 invalid scenario or input (or a missing API key), 130 interrupted (state kept for "
            + "--resume).",
        subcommands: [
            BatchRunCommand.self, BatchPrepareCommand.self, BatchSubmitCommand.self, BatchStatusCommand.self,
            BatchWaitCommand.self, BatchRetrieveCommand.self, BatchCancelCommand.self, BatchListCommand.self,
        ])
}

/// Options every single-step command shares.
struct BatchTargetOptions: ParsableArguments {
    @Argument(help: "The scenario file: its target (and API key variable) is where the batch lives.")
    var scenario: String

    @Option(name: .long, help: "For target: mock, a mock already running at this base URL (e.g. http://127.0.0.1:8080/v1 of `tierbench mock`).")
    var mockURL: String?

    @Flag(name: .long, help: "Print nothing but errors and the result.")
    var quiet = false

    /// Opens the session; for `target: mock` without --mock-url it refuses (the in-process mock would end with the
    /// command, taking the batch with it).
    func open() async throws -> BatchSession {
        do {
            let session = try await BatchSession.open(scenario: scenario, mockBaseURL: mockURL)
            if session.loaded.scenario.target.isMock, mockURL == nil {
                await session.close()
                Console.error("\(scenario) has target: mock; the built-in mock ends with this command and takes its "
                    + "batches with it. Use `tierbench batch run`, or start `tierbench mock` and pass --mock-url "
                    + "http://127.0.0.1:PORT/v1")
                throw ExitCode(ExitCodes.usage)
            }
            return session
        } catch let error as BatchWorkflowError {
            throw BatchCommand.fail(error)
        }
    }

    func note(_ progress: BatchProgress) {
        if !quiet { BatchCommand.note(progress.message) }
    }

    /// Opens the session, runs `body`, and always shuts the client down; a `BatchWorkflowError` is printed and
    /// becomes its exit code, an `ExitCode` passes through.
    func withSession(_ body: (BatchSession) async throws -> Void) async throws {
        let session = try await open()
        defer { session.client.shutdown() }
        do {
            try await body(session)
        } catch let error as BatchWorkflowError {
            throw BatchCommand.fail(error)
        }
    }
}

extension BatchCommand {
    /// Prints an error and returns the exit to throw.
    static func fail(_ error: BatchWorkflowError) -> ExitCode {
        Console.error(error.description)
        return ExitCode(error.exitCode)
    }

    /// One progress line on standard error, with the UTC time.
    static func note(_ message: String) {
        let now = Date().timeIntervalSince1970
        let stamp = UTCTimestamp.iso8601(unixNanos: Int64(now * 1e9), fractionDigits: 0)
        Console.note("\(stamp) \(message)")
    }

    /// A batch as one line: id, status, counts, times.
    static func describe(_ batch: BatchObject) -> String {
        var line = "\(batch.id)  \(batch.status.rawValue)"
        let counts = batch.requestCounts
        line += "  \(counts.completed)/\(counts.total) done"
        if counts.failed > 0 { line += ", \(counts.failed) failed" }
        if let model = batch.model { line += "  \(model)" }
        line += "  created \(BatchTimestamp.text(unixSeconds: batch.createdAt))"
        if let run = batch.metadataValue("tierbench_run") { line += "  run \(run)" }
        if let parent = batch.metadataValue("parent_batch") { line += "  parent \(parent)" }
        for error in batch.errors ?? [] {
            line += "\n  \(error.code ?? "error")" + (error.line.map { " line \($0)" } ?? "") + ": \(error.message)"
        }
        return line
    }

    /// The lines of a summary for the console.
    static func render(_ summary: BatchRunSummary, directory: String) -> String {
        let outcomes = summary.outcomes
        var lines = ["\(summary.lines) lines: \(outcomes.ok) ok, \(outcomes.httpError) http_error, "
            + "\(outcomes.expired) expired, \(outcomes.failed) failed, \(outcomes.missing) missing"]
        if !summary.httpStatuses.isEmpty {
            lines.append("http statuses: " + summary.httpStatuses.sorted { $0.key < $1.key }
                .map { "\($0.key) × \($0.value)" }.joined(separator: ", "))
        }
        if summary.duplicates + summary.unknownIDs + summary.unreadableLines + summary.invalidUsageLines
            + summary.inconsistentLines > 0 {
            lines.append("anomalies: \(summary.duplicates) duplicate ids, \(summary.unknownIDs) unknown ids, "
                + "\(summary.unreadableLines) unreadable lines, \(summary.invalidUsageLines) lines with invalid usage, "
                + "\(summary.inconsistentLines) inconsistent lines")
        }
        lines.append("tokens: \(summary.tokens.input) input, \(summary.tokens.output) output")
        if let usd = summary.cost.usd { lines.append(String(format: "cost at batch prices: $%.6f", usd)) }
        if let note = summary.cost.note { lines.append("cost: \(note)") }
        let phases = summary.phases
        func seconds(_ value: Double?) -> String { value.map { String(format: "%.0f s", $0) } ?? "–" }
        lines.append("phases: validating \(seconds(phases.validatingS)), in_progress \(seconds(phases.inProgressS)), "
            + "finalizing \(seconds(phases.finalizingS)); to completion \(seconds(summary.timeToCompletionS)) "
            + "(API clock); wall \(String(format: "%.1f", summary.wallS)) s")
        lines.append("results: \(directory)")
        return lines.joined(separator: "\n")
    }
}
