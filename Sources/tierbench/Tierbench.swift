import ArgumentParser
import TierbenchCore
import TierbenchEngine

@main
struct Tierbench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierbench",
        abstract: "Load-test and benchmark OpenAI-compatible APIs; find the right max_workers, batch size and tier.",
        discussion: """
            Exit codes: 0 success, 1 run failed (or no request succeeded), 2 threshold failed, 3 regression,
            4 generator bottleneck, 64 usage error, 65 invalid scenario, 66 merge: results that do not belong together,
            67 merge: a missing or duplicate shard, 130 interrupted (results still written).
            """,
        version: TierbenchVersion.string,
        subcommands: [
            RunCommand.self, SweepCommand.self, CompareCommand.self, ReportCommand.self, ValidateCommand.self,
            MockCommand.self, BatchCommand.self, DecideCommand.self, TraceCommand.self, AnalyzeCommand.self,
            ExportCommand.self, MergeCommand.self,
        ])
}
