import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench merge` on shard folders written to disk: the merged summary.json, the gate on it, and the CLI's
/// documented exit codes (built binary).
@Suite("merge: shard folders, gate and exit codes", .serialized)
struct MergeRunnerTests {
    static let ms: UInt64 = 1_000_000

    /// A shard result: `requests` sends 100 ms apart, each taking `latencyMs`, the first `failures` failing with 500.
    static func shard(
        index: Int, count: Int, plan: String = "plan-a", latencyMs: UInt64, requests: Int = 50, failures: Int = 0,
        thresholds: [String] = ["latency_ms.p99 < 2s"]
    ) -> RunSummary {
        var recorder = MetricsRecorder()
        for k in 0..<requests {
            let start = UInt64(k) * 100 * ms
            var outcome = RequestOutcome(index: k, intendedStart: start, actualStart: start,
                                         end: start + latencyMs * ms, status: 200,
                                         usage: TokenUsage(prompt: 10, completion: 5))
            if k < failures {
                outcome.status = 500
                outcome.errorClass = .http5xx
                outcome.usage = nil
            }
            recorder.record(outcome)
        }
        let scenario: JSONValue = .object([
            .init("version", .int(1)), .init("name", .string("merge-test")), .init("endpoint", .string("chat")),
            .init("load", .object([.init("rate", .int(20))])),
            .init("thresholds", .array(thresholds.map { .string($0) })),
        ])
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(Double(requests) / 10), scenario: scenario, startedAt: "2027-01-15T08:00:00.000Z",
            endedAt: "2027-01-15T08:00:05.000Z", generator: GeneratorInfo(loadModel: "open", targetRequestsPerS: 10))
        summary.shard = ShardInfo(
            index: index, count: count, source: "SLURM_PROCID", planKey: plan, totalWorkers: count, workers: 1,
            totalRequests: nil, requests: nil, startAt: nil, firstSendOffsetMs: nil,
            originUnixNs: 1_800_000_000_000_000_000, host: "n\(index + 1)")
        return summary
    }

    /// Writes `shards` as `<dir>/shard-<i>/summary.json` (or under the given folder names).
    static func write(_ shards: [RunSummary], names: [String]? = nil) throws -> String {
        let directory = NSTemporaryDirectory() + "tierbench-merge-" + UUID().uuidString
        for (position, summary) in shards.enumerated() {
            let folder = directory + "/" + (names?[position] ?? "shard-\(summary.shard?.index ?? position)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try summary.jsonData().write(to: URL(fileURLWithPath: folder + "/summary.json"))
        }
        return directory
    }

    @Test func mergesAParentFolderAndJudgesTheMergedResult() throws {
        let directory = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10),
                                        Self.shard(index: 1, count: 2, latencyMs: 1_000)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try MergeRunner.merge(paths: [directory], outputDirectory: directory + "/merged")
        #expect(outcome.inputs == [directory + "/shard-0/summary.json", directory + "/shard-1/summary.json"])
        let written = try RunSummary.decode(Data(contentsOf: URL(fileURLWithPath: directory + "/merged/summary.json")))
        #expect(written.requests.total == 100)
        #expect(written.latencyMs.p50 >= 10 && written.latencyMs.p50 < 10.1)
        #expect(written.latencyMs.p99 >= 1_000)
        var options = GateOptions()
        options.formats = [.markdown, .junit]
        let verdict = try Gate.judge(run: outcome.report, options: options)
        #expect(verdict.exitCode == 0)
        #expect(verdict.thresholds.count == 1 && verdict.thresholds.allPassed)
        for file in ["summary.md", "junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/merged/" + file))
        }
    }

    /// Shard 0 alone passes p95 < 600 ms, and so would the average of the shards' p95s (≈ 505 ms); only the merged
    /// histogram is judged, and its p95 is 1 s: exit 2.
    @Test func thresholdsRunOnTheMergedFigures() throws {
        let limit = ["latency_ms.p95 < 600ms"]
        let shards = [Self.shard(index: 0, count: 2, latencyMs: 10, requests: 90, thresholds: limit),
                      Self.shard(index: 1, count: 2, latencyMs: 1_000, requests: 10, thresholds: limit)]
        let directory = try Self.write(shards)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try MergeRunner.merge(paths: [directory + "/shard-0", directory + "/shard-1"],
                                            outputDirectory: directory + "/merged")
        // 100 values, 10 of them 1 s: p95 is the 95th smallest = 1 s; the average of the shards' p95 would pass.
        #expect(outcome.report.summary.latencyMs.p95 >= 1_000)
        #expect((shards[0].latencyMs.p95 + shards[1].latencyMs.p95) / 2 < 600)
        let verdict = try Gate.judge(run: outcome.report, options: GateOptions())
        #expect(verdict.exitCode == 2)
    }

    @Test func aMergedResultWithoutSuccessNeverLooksGreen() throws {
        let directory = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10, requests: 5, failures: 5),
                                        Self.shard(index: 1, count: 2, latencyMs: 10, requests: 5, failures: 5)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try MergeRunner.merge(paths: [directory], outputDirectory: directory + "/merged")
        #expect(outcome.report.exitCode == ExitCodes.runFailed)
    }

    @Test func unreadableAndInvalidFilesAreNamed() throws {
        let directory = try Self.write([Self.shard(index: 0, count: 1, latencyMs: 10)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("{\"requests\": 1}".utf8).write(to: URL(fileURLWithPath: directory + "/broken.json"))
        do {
            _ = try MergeRunner.merge(paths: [directory + "/broken.json"], outputDirectory: directory + "/m")
            Issue.record("an invalid summary was merged")
        } catch {
            #expect(error.exitCode == 65)
            #expect(error.description.contains(directory + "/broken.json"))
        }
        do {
            _ = try MergeRunner.merge(paths: [directory + "/nothing"], outputDirectory: directory + "/m")
            Issue.record("a missing folder was merged")
        } catch {
            #expect(error.exitCode == 65 && error.description.contains("nothing"))
        }
    }

    @Test(.enabled(if: CLI.binary != nil)) func cliExitCodes() throws {
        let good = [Self.shard(index: 0, count: 2, latencyMs: 10), Self.shard(index: 1, count: 2, latencyMs: 20)]
        let complete = try Self.write(good)
        let missing = try Self.write([Self.shard(index: 0, count: 3, latencyMs: 10),
                                      Self.shard(index: 2, count: 3, latencyMs: 10)])
        let duplicate = try Self.write(good + [Self.shard(index: 1, count: 2, latencyMs: 30)],
                                       names: ["shard-0", "shard-1", "shard-1-again"])
        let mixed = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10),
                                    Self.shard(index: 1, count: 2, plan: "plan-b", latencyMs: 10)])
        var odd = Self.shard(index: 1, count: 2, latencyMs: 10)
        odd.histograms.latency.significantDigits = 2
        let layouts = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10), odd])
        let failing = try Self.write([Self.shard(index: 0, count: 1, latencyMs: 10, thresholds: ["latency_ms.p50 < 1ms"])])
        defer {
            for folder in [complete, missing, duplicate, mixed, layouts, failing] {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        let ok = try CLI.run(["merge", complete, "--output", complete + "/merged", "--format", "html", "--quiet"])
        #expect(ok.code == 0, "\(ok.output)")
        #expect(FileManager.default.fileExists(atPath: complete + "/merged/report.html"))
        let gap = try CLI.run(["merge", missing, "--output", missing + "/merged"])
        #expect(gap.code == 67 && gap.output.contains("missing shard 1 of 3"), "\(gap.output)")
        let twice = try CLI.run(["merge", duplicate + "/shard-0", duplicate + "/shard-1", duplicate + "/shard-1-again",
                                 "--output", duplicate + "/merged"])
        #expect(twice.code == 67 && twice.output.contains("shard 1 appears 2 times"), "\(twice.output)")
        let plans = try CLI.run(["merge", mixed, "--output", mixed + "/merged"])
        #expect(plans.code == 66 && plans.output.contains("plan_key"), "\(plans.output)")
        let histogram = try CLI.run(["merge", layouts, "--output", layouts + "/merged"])
        #expect(histogram.code == 66 && histogram.output.contains("histograms.latency"), "\(histogram.output)")
        let threshold = try CLI.run(["merge", failing, "--output", failing + "/merged", "--quiet"])
        #expect(threshold.code == 2, "\(threshold.output)")
        let help = try CLI.run(["merge", "--help"])
        #expect(help.output.contains("66") && help.output.contains("67"))
    }

    @Test("a shard that was interrupted or stopped early makes the merge exit 130, like an interrupted run")
    func anIncompleteShardExitsLikeAnInterruptedRun() throws {
        var interrupted = Self.shard(index: 1, count: 2, latencyMs: 10)
        interrupted.interrupted = true
        var hopeless = Self.shard(index: 1, count: 2, latencyMs: 10)
        hopeless.stoppedEarly = "the target cannot keep up"
        for second in [interrupted, hopeless] {
            let directory = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10), second])
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let outcome = try MergeRunner.merge(paths: [directory], outputDirectory: directory + "/merged")
            #expect(outcome.report.interrupted)
            #expect(outcome.report.exitCode == ExitCodes.interrupted)
            #expect(outcome.report.notes.contains { $0.contains("130") })
        }
        let whole = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10),
                                    Self.shard(index: 1, count: 2, latencyMs: 10)])
        defer { try? FileManager.default.removeItem(atPath: whole) }
        let complete = try MergeRunner.merge(paths: [whole], outputDirectory: whole + "/merged")
        #expect(!complete.report.interrupted && complete.report.exitCode == ExitCodes.success)
        if CLI.binary != nil {
            let directory = try Self.write([Self.shard(index: 0, count: 2, latencyMs: 10), interrupted])
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let run = try CLI.run(["merge", directory, "--output", directory + "/merged", "--quiet"])
            #expect(run.code == 130, "\(run.output)")
        }
    }
}
