import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench report RESULT_DIR`: renders saved results (summary.json, sweep.json or a folder of runs) again in
/// any format, re-judging the scenario's thresholds.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render saved results again as json, csv, markdown, junit or html.",
        discussion: "With one format and --output FILE the report goes to FILE; otherwise each format is written "
            + "into the result folder under its default name (summary.md, junit.xml, report.html, summary.csv).")

    @Argument(help: "A result folder of `tierbench run` or `sweep`, a folder of runs, or a summary.json/sweep.json.")
    var result: String

    @Option(name: .long, help: "Formats: json, csv, markdown, junit, html (repeat or separate with commas).")
    var format: [String] = ["html"]

    @Option(name: .long, help: "The output file (one format only); '-' writes to standard output.")
    var output: String?

    @Option(name: .long, help: "Compare with this baseline in the report.")
    var baseline: String?

    @Option(name: .long, help: "Allowed change for the worse against --baseline (default 10%).")
    var maxRegression = "10%"

    func validate() throws {
        let formats = try GateFlags.formats(format)
        if output != nil, formats.count != 1 {
            throw ValidationError("--output FILE takes exactly one --format; got \(formats.count).")
        }
        if Comparison.parseTolerance(maxRegression) == nil {
            throw ValidationError("--max-regression takes a percentage or fraction such as 10%; got '\(maxRegression)'.")
        }
    }

    func run() throws {
        let formats = try GateFlags.formats(format)
        do {
            let loaded = try ResultFiles.load(result)
            let content = try ReportContentLoader.content(
                loaded, baselinePath: baseline, tolerance: Comparison.parseTolerance(maxRegression) ?? 0.1)
            if let output, let format = formats.first {
                let text = format.render(content)
                if output == "-" {
                    Console.out(text)
                } else {
                    try ResultFiles.write(text, to: output)
                    Console.error("wrote \(output)")
                }
            } else {
                let files = try Gate.write(content, formats: formats, directory: loaded.directory)
                for file in files { Console.error("wrote \(file)") }
                if formats.contains(.json) {
                    Console.error("json: the result's own summary.json / sweep.json is the JSON report")
                }
            }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
