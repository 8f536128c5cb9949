import Foundation
import Synchronization
import Testing
import TierbenchCore
import TierbenchEngine

/// `tierbench sweep` end to end against the built-in mock, checked against ground truth: a closed loop of w workers
/// with latency ℓ against a server limited to R requests/s delivers min(w / ℓ, R), so it saturates at w* = R · ℓ.
///
/// Every mock here runs at time_scale 4 (1 s of real latency takes 250 ms; 30 req/s are 120 wall req/s) with its
/// per-minute buckets starting empty, so a point of under a second measures the sustained limit rather than the
/// first minute's burst.
@Suite("tierbench sweep against the mock (ground truth)", .serialized)
struct SweepEndToEndTests {
    /// One request-limited setting: `rpm` with 1 s of latency gives w* = rpm / 60.
    struct Setting: Sendable, CustomTestStringConvertible {
        var rpm: Int
        var workers: [Int]
        var workersStar: Double { Double(rpm) / 60 }
        var testDescription: String { "w* = \(workersStar)" }
    }

    @Test(
        "a request-limited mock saturates at w* = R × latency: grid step (15% refined), plateau 3% or 1 request",
        .timeLimit(.minutes(1)),
        arguments: [
            Setting(rpm: 270, workers: [1, 2, 4, 8, 16]),
            Setting(rpm: 750, workers: [1, 2, 4, 8, 16, 32]),
            Setting(rpm: 1830, workers: [1, 2, 4, 8, 16, 32, 64]),
        ])
    func requestLimitedKnee(setting: Setting) async throws {
        let scenario = try TestScenario(
            Self.yaml(limits: "{ rpm: \(setting.rpm) }", workers: setting.workers, refine: true, budget: 4))
        defer { scenario.cleanup() }
        let outcome = try await SweepRunner.run(scenario.sweepOptions())
        let curve = try #require(outcome.result.curves.first)
        let analysis = curve.analysis
        let limit = Double(setting.rpm) / 60
        let star = setting.workersStar
        #expect(analysis.outcome == .knee, "\(analysis.reason)")
        let plateau = try #require(analysis.plateau, "\(analysis.reason)")
        // A point counts limit × 4 (time scale) × 0.8 s (measured wall window) successes: 14.4 at w* = 4.5, where the
        // window's phase against the bucket's refills makes it count 14 every time (−2.8%), and 15 now and then.
        // One request of a point is the resolution; 3% holds wherever that is finer.
        let perPoint = limit * 4 * 0.8
        let tolerance = max(0.03, 1 / perPoint)
        #expect(abs(plateau / limit - 1) <= tolerance, "plateau \(plateau) req/s, limit \(limit) req/s")
        // The coarse grid alone (factor 2) must answer within one grid step: w*/2 ≤ workers ≤ 2·w*.
        let gridPoints = outcome.result.points.filter { setting.workers.contains($0.result.settings.maxWorkers) }
        let coarse = SweepResult.build(spec: outcome.result.spec, timeScale: 4, points: gridPoints)
        let coarseWorkers = try #require(coarse.curves.first?.analysis.recommendedWorkers)
        #expect(Double(coarseWorkers) >= star / 2 && Double(coarseWorkers) <= star * 2, "coarse \(coarseWorkers), w* \(star)")
        // After refinement: within 15% of w*.
        let recommended = try #require(analysis.recommendedWorkers, "\(analysis.reason)")
        #expect(abs(Double(recommended) / star - 1) <= 0.15, "recommended \(recommended), w* \(star); \(analysis.reason)")
        #expect(!curve.refinedWorkers.isEmpty)
        #expect(outcome.result.recommendation["limited"]?.maxWorkers == recommended)
    }

    @Test(
        "a token-limited tier: 4× larger batches move the knee 4× lower, as TPM ÷ (batch × tokens) predicts",
        .timeLimit(.minutes(1)))
    func tokenLimitedBatchMovesKnee() async throws {
        // Each prompt costs 10 prompt tokens + max_tokens 10 = 20 tokens of TPM; 12,300 TPM = 205 tokens/s, so
        // batch 1 is limited to 10.25 requests/s (w* = 10.25 at 1 s latency) and batch 4 to 2.56 (w* ≈ 2.6).
        let scenario = try TestScenario(
            Self.yaml(
                limits: "{ tpm: 12300 }", workers: [1, 2, 4, 8, 16, 32], refine: false, budget: 0,
                endpoint: "completions", batchSizes: [1, 4]))
        defer { scenario.cleanup() }
        let outcome = try await SweepRunner.run(scenario.sweepOptions())
        let tokensPerSecond = 12_300.0 / 60
        for batch in [1, 4] {
            let curve = try #require(outcome.result.curves.first { $0.key.batchSize == batch })
            let analysis = curve.analysis
            let requestLimit = tokensPerSecond / Double(20 * batch)
            let star = requestLimit * 1.0
            #expect(analysis.outcome == .knee, "batch \(batch): \(analysis.reason)")
            let plateau = try #require(analysis.plateau, "batch \(batch): \(analysis.reason)")
            // Batch 4 is held to 2.6 req/s (about 8 per point at time_scale 4), so one request is 12% of a point.
            let tolerance = batch == 1 ? 0.03 : 0.08
            #expect(abs(plateau / requestLimit - 1) <= tolerance, "batch \(batch): plateau \(plateau), limit \(requestLimit)")
            let recommended = try #require(analysis.recommendedWorkers)
            #expect(Double(recommended) >= star / 2 && Double(recommended) <= star * 2,
                    "batch \(batch): recommended \(recommended), w* \(star)")
        }
        // Both batch sizes are held to the same prompts/s by TPM: a bigger batch buys nothing on a token-bound tier.
        let promptsPerSecond = outcome.result.curves.compactMap { curve in
            curve.analysis.plateau.map { $0 * Double(curve.key.batchSize) }
        }
        #expect(promptsPerSecond.count == 2)
        if let low = promptsPerSecond.min(), let high = promptsPerSecond.max() { #expect(high / low <= 1.1) }
        let row = try #require(outcome.result.comparison.rows.first)
        let tokensPerMinute = try #require(row.maxTokensPerMinute)
        #expect(tokensPerMinute <= 12_300 * 1.03)
    }

    @Test("an interrupted sweep keeps its finished points, and --resume reaches the same recommendation",
          .timeLimit(.minutes(1)))
    func interruptAndResume() async throws {
        // w* = 6.5: the grid answers 4, refinement 6 (7 already passes the limit).
        let yaml = Self.yaml(limits: "{ rpm: 390 }", workers: [1, 2, 4, 8, 16], refine: true, budget: 2)
        let straight = try TestScenario(yaml)
        defer { straight.cleanup() }
        let reference = try await SweepRunner.run(straight.sweepOptions())

        let scenario = try TestScenario(yaml)
        defer { scenario.cleanup() }
        let interrupt = RunInterrupt()
        let finished = PointCounter()
        let first = try await SweepRunner.run(scenario.sweepOptions(), interrupt: interrupt) { _ in
            // Stop (as SIGINT does) after the second point was appended to points.jsonl.
            if finished.increment() == 2 { interrupt.interrupt() }
        }
        #expect(first.interrupted)
        #expect(first.exitCode == ExitCodes.interrupted)
        let kept = first.result.points
        #expect(kept.count == 2)
        let lines = try String(contentsOfFile: first.directory + "/points.jsonl", encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 2)

        let resumed = try await SweepRunner.resume(directory: first.directory)
        #expect(!resumed.interrupted)
        #expect(Array(resumed.result.points.prefix(2)) == kept, "the kept points are reused, not run again")
        #expect(resumed.result.points.count == reference.result.points.count)
        let expected = try #require(reference.result.recommendation["limited"])
        let got = try #require(resumed.result.recommendation["limited"])
        #expect(got.maxWorkers == expected.maxWorkers, "\(got.reason) / \(expected.reason)")
        #expect(got.batchSize == expected.batchSize)
        #expect(got.maxWorkers.map { abs(Double($0) / 6.5 - 1) <= 0.4 } ?? false, "\(got.reason)")
    }

    @Test("against a mock without rate limits and no knee in the grid, the sweep says so and invents none",
          .timeLimit(.minutes(1)))
    func noKneeWithoutLimits() async throws {
        let scenario = try TestScenario(Self.yaml(limits: nil, workers: [1, 2, 4, 8], refine: true, budget: 4))
        defer { scenario.cleanup() }
        let outcome = try await SweepRunner.run(scenario.sweepOptions())
        let analysis = try #require(outcome.result.curves.first?.analysis)
        #expect(analysis.outcome == .noKneeInGrid)
        #expect(analysis.plateau == nil)
        #expect(analysis.throughputKneeWorkers == nil)
        #expect(analysis.errorKneeAttemptWorkers == nil)
        #expect(analysis.reason.contains("no knee in the grid"))
        #expect(outcome.result.curves.first?.refinedWorkers.isEmpty == true, "nothing to refine without a knee")
        let row = try #require(outcome.result.comparison.rows.first)
        #expect(!row.plateauReached)
        #expect(row.maxWorkers == 8)
        let table = SweepReport.renderTable(outcome.result.comparison, note: outcome.result.timeScaleNote)
        #expect(table.contains("≥"), "a lower bound is marked as such:\n\(table)")
    }

    /// A sweep scenario against the mock at time_scale 4 with 1 s of real latency per request and empty buckets.
    static func yaml(
        limits: String?, workers: [Int], refine: Bool, budget: Int, endpoint: String = "chat",
        batchSizes: [Int] = [1]
    ) -> String {
        let request = endpoint == "chat"
            ? "{ messages: [{ role: user, content: \"{prompt}\" }], max_tokens: 10 }"
            : "{ prompt: \"{prompt}\", max_tokens: 10 }"
        return """
            version: 1
            name: sweep-e2e
            target: mock
            endpoint: \(endpoint)
            model: gpt-3.5-turbo-instruct
            request: \(request)
            prompts: { inline: ["forty bytes of prompt text, ten tokens.."] }
            load: { max_workers: 1, duration: 1600ms, warmup: 800ms }
            mock:
              latency: 1s
              output_tokens: 10
              time_scale: 4
              initial_fill: 0
            \(limits.map { "  limits: \($0)" } ?? "")
            sweep:
              max_workers: \(workers)
              batch_size: \(batchSizes)
              tier: [{ label: limited, preset: unlimited }]
              model: [gpt-3.5-turbo-instruct]
              refine: \(refine)
              point_budget: \(budget)
            """
    }
}

/// Counts progress lines from the sweep's callback (called from the sweep's task).
final class PointCounter: Sendable {
    private let count = Mutex(0)

    /// Adds one; returns the new count.
    func increment() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }
}

extension TestScenario {
    /// Sweep options writing into this scenario's output directory.
    func sweepOptions() -> SweepOptions {
        var options = SweepOptions(scenarioPath: path)
        options.outputDirectory = output
        return options
    }
}
