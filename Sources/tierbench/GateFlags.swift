import ArgumentParser
import TierbenchCore
import TierbenchEngine

/// `--format`, `--baseline` and `--max-regression`, shared by `run` and `sweep`.
struct GateFlags: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Report formats to write next to the JSON: json, csv, markdown, junit, html (repeat or separate with commas).",
        valueName: "formats"))
    var format: [String] = []

    @Option(name: .long, help: "Compare with this summary.json, sweep.json or result folder; exit 3 on a regression.")
    var baseline: String?

    @Option(name: .long, help: "Allowed change for the worse against --baseline, e.g. 10% or 0.1 (default 10%).")
    var maxRegression: String?

    @Option(name: .customLong("gate-metric"), help: "Also gate on this metric path or name against --baseline (repeatable); by default only the headline figures are gated.")
    var gateMetric: [String] = []

    func validate() throws {
        _ = try Self.formats(format)
        if let maxRegression, Comparison.parseTolerance(maxRegression) == nil {
            throw ValidationError(
                "--max-regression takes a percentage or a fraction up to 1, such as 10% or 0.1; got '\(maxRegression)'.")
        }
        if maxRegression != nil, baseline == nil {
            throw ValidationError("--max-regression needs --baseline FILE to compare with.")
        }
        if !gateMetric.isEmpty, baseline == nil {
            throw ValidationError("--gate-metric needs --baseline FILE to compare with.")
        }
    }

    /// The options for `Gate.judge`.
    func options(color: Bool) throws -> GateOptions {
        var options = GateOptions()
        options.formats = try Self.formats(format)
        options.baselinePath = baseline
        options.gatedMetrics = Set(gateMetric)
        if let maxRegression, let tolerance = Comparison.parseTolerance(maxRegression) {
            options.maxRegression = tolerance
        }
        options.color = color
        return options
    }

    /// Reads the `--baseline` file before anything runs; exits 65 naming it when it cannot be read.
    static func checkInputs(_ options: GateOptions) throws {
        do {
            try Gate.checkInputs(options)
        } catch {
            Console.error("--baseline: \(error.description)")
            throw ExitCode(error.exitCode)
        }
    }

    /// Parses `--format` values (`html`, `csv,markdown`), without duplicates, in the order given.
    static func formats(_ values: [String]) throws -> [OutputFormat] {
        var formats: [OutputFormat] = []
        for value in values {
            for part in value.split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let format = OutputFormat(argument: name) else {
                    let known = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--format '\(name)' is not a format; use one of \(known).")
                }
                if !formats.contains(format) { formats.append(format) }
            }
        }
        return formats
    }
}
