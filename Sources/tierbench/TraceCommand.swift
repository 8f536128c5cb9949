import ArgumentParser
import TierbenchCore
import TierbenchEngine

extension TraceImportFormat: ExpressibleByArgument {}

/// `tierbench trace …`: trace file tools.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Work with request traces for load.trace replay.",
        subcommands: [TraceImportCommand.self])
}

/// `tierbench trace import --format F IN OUT`: converts a public trace or gateway log into tierbench's trace format.
struct TraceImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a public trace or gateway log into a JSONL trace that load.trace replays.",
        discussion: """
            Formats: azure (TIMESTAMP,ContextTokens,GeneratedTokens), burstgpt, mooncake (JSONL, ms), litellm (spend-log CSV),
            langfuse (observations CSV). Timestamps become seconds from the first request, rows are sorted by time, failed
            requests are kept, bad rows are skipped and listed. Exits 65 when the input cannot be read or has no usable row.
            """)

    @Option(help: "The input format: \(TraceImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: TraceImportFormat

    @Argument(help: "The trace or log file to read.")
    var input: String

    @Argument(help: "The JSONL trace to write (replaced atomically).")
    var output: String

    func run() throws {
        do {
            let outcome = try TraceImport.run(format: format, input: input, output: output)
            var line = "imported \(outcome.imported) rows"
            if outcome.failed > 0 { line += ", \(outcome.failed) of them failed requests" }
            if !outcome.problems.isEmpty {
                let shown = outcome.problems.prefix(5).map(\.description).joined(separator: "; ")
                let more = outcome.problems.count > 5 ? "; … \(outcome.problems.count - 5) more" : ""
                line += " (\(outcome.problems.count) skipped: \(shown)\(more))"
            }
            Console.out(line + " → \(output)")
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
