import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench compare BASE NEW`: each metric's change between two results, with regressions flagged.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results (summary.json, sweep.json or result folders) and flag regressions.",
        discussion: """
            A folder of several runs is a set of repetitions: with at least two runs on both sides, the Mann-Whitney \
            U test decides and noise is reported as "no significant change". Exit 3 when a metric regressed beyond \
            the tolerance (docs/reports.md).
            """)

    @Argument(help: "The baseline: a summary.json, sweep.json, JSON array of summaries, or result folder.")
    var base: String

    @Argument(help: "The new result, in the same forms.")
    var new: String

    @Option(name: [.long, .customLong("max-regression")], help: "Allowed change for the worse, e.g. 10% or 0.1.")
    var tolerance = "10%"

    @Option(name: .customLong("gate-metric"), help: "Also gate on this metric path or name (repeatable); by default only the headline figures are gated.")
    var gateMetric: [String] = []

    @Flag(name: .long, help: "List every compared metric, not only the key and flagged ones.")
    var all = false

    @Option(name: .long, help: "Also write the comparison in these formats (markdown, junit, html, csv) into --output.")
    var format: [String] = []

    @Option(name: .long, help: "Folder for --format files (default: the new result's folder).")
    var output: String?

    func validate() throws {
        if Comparison.parseTolerance(tolerance) == nil {
            throw ValidationError(
                "--tolerance takes a percentage or a fraction up to 1, such as 10% or 0.1; got '\(tolerance)'.")
        }
        _ = try GateFlags.formats(format)
    }

    func run() throws {
        let newSide: ResultFiles.Loaded
        let report: ComparisonReport
        do {
            let baseSide = try ResultFiles.load(base)
            newSide = try ResultFiles.load(new)
            report = try Gate.comparison(
                base: baseSide, new: newSide.json, newName: new, tolerance: Comparison.parseTolerance(tolerance) ?? 0.1,
                gated: Set(gateMetric))
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        Console.out(ComparisonTable.render(report, all: all))
        let formats = try GateFlags.formats(format)
        if !formats.isEmpty {
            let content = ReportContent(title: "comparison", runs: newSide.runs, comparison: report, sweep: newSide.sweep)
            do {
                let directory = output ?? newSide.directory
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for file in try Gate.write(content, formats: formats, directory: directory) {
                    Console.error("wrote \(file)")
                }
            } catch let error as EngineError {
                Console.error(error.description)
                throw ExitCode(error.exitCode)
            }
        }
        if report.hasRegression { throw ExitCode(ExitCodes.regression) }
    }
}
