import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench sweep SCENARIO`: runs the scenario over a grid of workers × batch size × tier and recommends settings.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep max_workers × batch size × tier, find the knee per tier and recommend settings.",
        discussion: "Writes sweep.json, sweep.csv and points.jsonl; an interrupted sweep continues with --resume DIR.")

    @Argument(help: "The scenario file with a sweep: section (docs/sweep.md).")
    var scenario: String?

    @Option(name: .long, help: "Continue the interrupted sweep in this directory.")
    var resume: String?

    @Option(name: .long, help: "Write the sweep's files into this directory (default: results/<name>/sweep/<UTC time>/).")
    var output: String?

    @Option(name: .long, help: "Override sweep.max_workers, e.g. 1,2,4,8,16.")
    var workers: String?

    @Option(name: .long, help: "Override sweep.batch_size, e.g. 1,5,10.")
    var batchSizes: String?

    @Option(name: .long, help: "Override sweep.tier with mock presets, e.g. free,tier1,tier2.")
    var tiers: String?

    @Option(name: .long, help: "Override sweep.repetitions.")
    var repetitions: Int?

    @Flag(name: .long, inversion: .prefixedNo, help: "Refine the knee by bisection after the grid.")
    var refine: Bool?

    @Option(name: .long, help: "Override each point's load.duration (with a unit: 5s).")
    var duration: String?

    @Option(name: .long, help: "A price table (JSON, USD per 1M tokens) replacing the built-in one.")
    var priceFile: String?

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .long, help: "Print sweep.json on standard output.")
    var json = false

    @OptionGroup var gate: GateFlags

    func validate() throws {
        if scenario == nil, resume == nil { throw ValidationError("give a scenario file, or --resume DIR.") }
        if scenario != nil, resume != nil { throw ValidationError("give either a scenario file or --resume DIR, not both.") }
        if resume != nil, priceFile != nil {
            throw ValidationError(
                "--resume keeps the price file the sweep started with (sweep-state.json); drop --price-file, "
                    + "or start a new sweep to use other prices.")
        }
        if let duration, TimeSpan.parse(duration) == nil {
            throw ValidationError("--duration needs a unit, e.g. 5s; got '\(duration)'.")
        }
        _ = try Self.integers(workers, flag: "--workers")
        _ = try Self.integers(batchSizes, flag: "--batch-sizes")
    }

    func run() async throws {
        let interrupt = RunInterrupt()
        let trap = InterruptTrap { interrupt.interrupt() }
        defer { trap.cancel() }
        let quiet = quiet || json
        let progress: @Sendable (String) -> Void = { line in if !quiet { Console.error(line) } }
        let workerList = try Self.integers(workers, flag: "--workers")
        let batchList = try Self.integers(batchSizes, flag: "--batch-sizes")
        let gateOptions = try gate.options(color: Console.isTerminal)
        try GateFlags.checkInputs(gateOptions)  // before the first point: a bad --baseline would waste the sweep
        let outcome: SweepOutcome
        do {
            if let resume {
                outcome = try await SweepRunner.resume(directory: resume, interrupt: interrupt, progress: progress)
            } else {
                var options = SweepOptions(scenarioPath: scenario ?? "")
                options.outputDirectory = output
                options.maxWorkers = workerList
                options.batchSizes = batchList
                options.tiers = tiers?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                options.repetitions = repetitions
                options.refine = refine
                options.duration = duration.flatMap(TimeSpan.parse)
                options.priceFile = priceFile
                outcome = try await SweepRunner.run(options, interrupt: interrupt, progress: progress)
            }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if json {
            Console.out(outcome.json)
        } else if !self.quiet {
            Console.out(
                SweepReport.renderTable(
                    outcome.result.comparison, timeScale: outcome.result.timeScale, note: outcome.result.timeScaleNote))
            Console.out("results: \(outcome.directory)")
        }
        if outcome.interrupted {
            Console.error("interrupted: finished points were kept; continue with tierbench sweep --resume \(outcome.directory)")
        }
        if outcome.exitCode != ExitCodes.success { throw ExitCode(outcome.exitCode) }
        let verdict: GateOutcome
        do {
            verdict = try Gate.judge(sweep: outcome, options: gateOptions)
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if !verdict.table.isEmpty, !self.quiet { (json ? Console.note : Console.out)(verdict.table) }
        if !self.quiet { for file in verdict.files { Console.error("wrote \(file)") } }
        if verdict.exitCode != ExitCodes.success { throw ExitCode(verdict.exitCode) }
    }

    /// Parses `1,2,4` into integers ≥ 1.
    static func integers(_ text: String?, flag: String) throws -> [Int]? {
        guard let text else { return nil }
        var values: [Int] = []
        for part in text.split(separator: ",") {
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw ValidationError("\(flag) takes whole numbers ≥ 1 separated by commas, e.g. 1,2,4; got '\(text)'.")
            }
            values.append(value)
        }
        return values
    }
}
