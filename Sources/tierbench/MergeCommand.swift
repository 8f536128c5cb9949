import ArgumentParser
import TierbenchCore
import TierbenchEngine

/// `tierbench merge DIR... --output DIR`: one result from the shards of a sharded run (docs/distributed.md).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results of a sharded run into one summary.json, then judge it like one run.",
        discussion: """
            Each DIR is a shard's result folder (with summary.json), a summary.json file, or a folder holding \
            shard-*/ result folders. Histograms are merged exactly, counters summed, rates taken over the union \
            of the shards' measured windows; then thresholds, --baseline and --format run on the merged result. \
            The shards' requests.jsonl files stay in their folders.

            Exit codes: 0 pass, 1 no measured request succeeded (or the result could not be written), \
            2 threshold failed, 3 regression, 4 generator bottleneck, 64 usage, 65 a shard result cannot be read \
            or is not a valid summary.json, 66 the results do not belong together (different plan_key, shard \
            count or histogram layouts, or a result without a shard block), 67 a shard is missing or duplicated.
            """)

    @Argument(help: "Shard result folders, summary.json files, or folders holding shard-*/ folders.")
    var results: [String] = []

    @Option(name: .long, help: "Write the merged summary.json (and the --format reports) into this directory.")
    var output: String

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .long, help: "Print the merged summary as JSON on standard output.")
    var json = false

    @OptionGroup var gate: GateFlags

    func validate() throws {
        if results.isEmpty { throw ValidationError("give at least one shard result folder, e.g. results/shard-*") }
    }

    func run() throws {
        let gateOptions = try gate.options(color: Console.isTerminal)
        try GateFlags.checkInputs(gateOptions)
        let outcome: MergeRunner.Outcome
        do {
            outcome = try MergeRunner.merge(paths: results, outputDirectory: output)
        } catch {
            Console.error("merge refused: \(error.description)")
            throw ExitCode(error.exitCode)
        }
        let report = outcome.report
        if json {
            Console.out(report.summaryJSON)
        } else if !quiet {
            if let info = report.summary.merge {
                Console.out("merged \(info.count) shards (plan \(info.planKey)); start spread "
                    + (info.firstSendSpreadMs.map { "\($0) ms (first sends)" } ?? "\(info.originSpreadMs) ms (origins)"))
                if !info.dropped.isEmpty { Console.note("not merged (not exact): " + info.dropped.joined(separator: ", ")) }
            }
            Console.out(ConsoleSummary.render(report.summary, color: Console.isTerminal))
            Console.out("results: \(report.directory)")
        }
        let verdict: GateOutcome
        do {
            verdict = try Gate.judge(run: report, options: gateOptions)
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if !verdict.table.isEmpty, !quiet { (json ? Console.note : Console.out)(verdict.table) }
        if !quiet { for file in verdict.files { Console.error("wrote \(file)") } }
        if !quiet { for note in report.notes { Console.error(note) } }
        if report.exitCode != ExitCodes.success {
            if report.exitCode == ExitCodes.runFailed {
                Console.error("exit code 1: no measured request succeeded in any shard, so the run failed (docs/ci.md)")
            }
            throw ExitCode(report.exitCode)
        }
        if verdict.exitCode != ExitCodes.success { throw ExitCode(verdict.exitCode) }
    }
}
