import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// `tierbench decide` against the mock: both sides measured on the same prompts, checked against each other and
/// against their own result files.
@Suite("tierbench decide (batch or sync) against the mock", .serialized)
struct DecideTests {
    private static let yaml = """
        version: 1
        name: decide-test
        target: mock
        endpoint: chat
        model: gpt-4o-mini
        request:
          messages: [{ role: user, content: "{prompt}" }]
          max_tokens: 8
        prompts:
          synthetic: { count: 120, tokens: { mean: 10, stddev: 2 }, seed: 3 }
        load: { max_workers: 8, duration: 20s, warmup: 1s }
        mock:
          seed: 3
          tier: tier1
          time_scale: 60
          latency: 300ms
          batch: { time_scale: 20000, stall_probability: 0 }
        """

    @Test func bothWaysAnswerTheSamePromptsAndTheBatchCostsHalf() async throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        var options = DecideOptions(scenarioPath: scenario.path)
        options.prompts = 120
        options.outputDirectory = scenario.output
        let outcome = try await DecideRunner.run(options)
        let decision = outcome.decision
        #expect(decision.sync.succeeded == 120 && decision.sync.failed == 0)
        #expect(decision.batch.succeeded == 120 && decision.batch.failed == 0)
        #expect(!outcome.answeredNothing)

        // The same prompts through the same responder: the same tokens, at half the price.
        let sync = try Self.object(scenario.output + "/sync/summary.json")
        let batch = try Self.object(scenario.output + "/batch/summary.json")
        let syncTokens = try #require((sync["tokens"] as? [String: Any])?["total"] as? Int)
        let batchTokens = try #require((batch["tokens"] as? [String: Any])?["total"] as? Int)
        #expect(syncTokens == batchTokens && syncTokens > 0)
        let syncCost = try #require(decision.sync.costUSD)
        let batchCost = try #require(decision.batch.costUSD)
        #expect(abs(batchCost - syncCost / 2) < 2e-6)

        // Times in real units: the sync run's wall time × the mock's time scale; the batch's from its stamps.
        let duration = try #require(sync["duration_s"] as? Double)
        #expect(abs(decision.sync.secondsToLastResult - duration * 60) < 1e-6)
        let completion = try #require(batch["time_to_completion_s"] as? Double)
        #expect(decision.batch.secondsToLastResult == completion)
        // warmup is dropped: every prompt counts.
        #expect((sync["requests"] as? [String: Any])?["warmup_excluded"] as? Int == 0)

        // The sync projection: 8 workers at the mock's 300 ms service time (its latency model: under a compressed
        // clock a measured latency × time_scale would magnify this machine's overhead), under a full 500-request
        // RPM bucket: 120 requests ÷ (8 ÷ 0.3 s) = 4.5 s.
        #expect(abs((decision.projectedSyncSeconds ?? 0) - 4.5) < 1e-6)
        #expect(decision.syncModel.limits.map(\.name) == ["RPM", "RPD", "TPM"])
        #expect(decision.batchModel.queueTokenLimit == 2_000_000)

        let written = try Self.object(scenario.output + "/decision.json")
        #expect(written["verdict"] as? String == decision.verdict)
        #expect(decision.renderTable().contains("break-even job size"))
    }

    @Test func aBatchSideThatFailsStopsTheSyncSide() async throws {
        // gpt-3.5-turbo-instruct cannot be batched: prepare refuses it at once. The sync side alone would need
        // 20,000 requests at 500 RPM (40 minutes); it must be stopped, not run to the end.
        let scenario = try TestScenario("""
            version: 1
            name: decide-refused
            target: mock
            endpoint: completions
            model: gpt-3.5-turbo-instruct
            request: { prompt: "{prompt}", max_tokens: 4 }
            load: { max_workers: 4, duration: 60s }
            mock: { seed: 1, tier: tier1, initial_fill: 0, latency: 5ms }
            """)
        defer { scenario.cleanup() }
        var options = DecideOptions(scenarioPath: scenario.path)
        options.prompts = 20_000
        options.outputDirectory = scenario.output
        let started = ContinuousClock.now
        await #expect(throws: EngineError.self) { _ = try await DecideRunner.run(options) }
        #expect(ContinuousClock.now - started < .seconds(30))
        let sync = try Self.object(scenario.output + "/sync/summary.json")
        #expect((sync["requests"] as? [String: Any])?["total"] as? Int ?? 20_000 < 20_000)
        #expect(!FileManager.default.fileExists(atPath: scenario.output + "/decision.json"))
    }

    @Test func aSweepFolderWithoutARecommendationIsRefusedBeforeAnythingRuns() async throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        var options = DecideOptions(scenarioPath: scenario.path)
        options.sweepDirectory = scenario.directory  // no sweep.json here
        options.outputDirectory = scenario.output
        await #expect(throws: EngineError.self) { _ = try await DecideRunner.run(options) }
        #expect(!FileManager.default.fileExists(atPath: scenario.output))
    }

    private static func object(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
