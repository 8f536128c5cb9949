import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

extension AnalyzeInputKind: ExpressibleByArgument {}

/// `tierbench analyze FILE...`: request frequency, inter-arrivals, latency, tokens and cost, errors and sessions of
/// request logs, session logs and traces, plus a workload profile scenario (docs/analyze.md).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse request logs, session logs and traces; write reports and a workload profile.",
        discussion: """
            Each file's kind is detected from its first row (--input-format forces it). Writes analysis.html, analysis.md,
            analysis.json and workload-profile.yaml (a scenario tierbench run accepts) into --output (default: analysis/
            beside the first file). Bad rows are counted and listed by line. Exits 65 when a file cannot be read, is of no
            known kind or has no usable row.
            """)

    @Argument(help: "requests.jsonl, sessions.jsonl or JSONL trace files (several are added together).")
    var files: [String]

    @Option(name: .long, help: "Force the input kind: requests, sessions or trace.")
    var inputFormat: AnalyzeInputKind?

    @Option(name: .long, help: "Output formats: html, md, json (repeat or separate with commas; default all).")
    var format: [String] = ["html,md,json"]

    @Option(name: .long, help: "The output directory (default: analysis/ beside the first file).")
    var output: String?

    @Option(name: .long, help: "The model of rows that name none (default: for each file, the model of a summary.json beside it).")
    var model: String?

    @Option(name: .long, help: "A price file replacing the built-in prices (JSON, USD per 1M tokens).")
    var priceFile: String?

    func formats() throws -> Set<AnalyzeRunner.Format> {
        var out: Set<AnalyzeRunner.Format> = []
        for item in format.flatMap({ $0.split(separator: ",") }) {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let parsed = AnalyzeRunner.Format(rawValue: name == "markdown" ? "md" : name) else {
                throw ValidationError("--format takes html, md and json; got '\(name)'.")
            }
            out.insert(parsed)
        }
        return out
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one file to analyse.") }
        _ = try formats()
    }

    func run() throws {
        let formats = try formats()
        do {
            let outcome = try AnalyzeRunner.run(AnalyzeRunner.Options(
                files: files, kind: inputFormat, outputDirectory: output, formats: formats, model: model,
                priceFile: priceFile))
            let analysis = outcome.analysis
            var line = "analysed " + analysis.files.map { "\($0.file) (\($0.kind?.rawValue ?? "?"), \($0.rows) rows)" }
                .joined(separator: ", ")
            if analysis.badRows > 0 {
                let shown = analysis.badRowsListed.prefix(5).map(\.description).joined(separator: "; ")
                let more = analysis.badRows > 5 ? "; … \(analysis.badRows - 5) more in the report" : ""
                line += " — \(analysis.badRows) bad rows: \(shown)\(more)"
            }
            Console.out(line)
            if let requests = analysis.requests {
                Console.out("requests: \(requests.rows), \(ReportNumber.plain(requests.arrivals.ratePerS))/s, "
                    + "inter-arrival CV \(ReportNumber.plain(requests.arrivals.cv)), error rate "
                    + ReportNumber.percent(requests.errorRate))
            }
            if let sessions = analysis.sessions {
                Console.out("sessions: \(sessions.sessions), turns mean \(ReportNumber.plain(sessions.turnsDone.mean))")
            }
            for path in outcome.written { Console.error("wrote \(path)") }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
