import Testing

@testable import TierbenchCore

@Suite("Batch or sync: the decision")
struct BatchDecisionTests {
    private let syncModel = SyncJobModel(
        workerRate: 500.0 / 60,
        limits: SyncJobModel.limits(TierLimits(requestsPerMinute: 500, requestsPerDay: 10_000), tokensPerRequest: 0))
    private let batchModel = BatchJobModel(
        validatingSeconds: 1, inProgressSeconds: 600, finalizingSeconds: 3, measuredLines: 1_000, tokensPerLine: 30,
        queueTokenLimit: 2_000_000)

    private func side(seconds: Double, cost: Double?, succeeded: Int = 50_000) -> BatchDecision.Side {
        BatchDecision.Side(
            prompts: 50_000, succeeded: succeeded, failed: 50_000 - succeeded, secondsToLastResult: seconds,
            costUSD: cost, rateLimited: 12, retries: 3, detail: "x")
    }

    @Test func theVerdictNamesTheFasterWayTheSavingAndTheBreakEven() {
        let decision = BatchDecision(
            tier: "tier1", model: "gpt-4o-mini", prompts: 50_000,
            sync: side(seconds: 4 * 86_400, cost: 0.40), batch: side(seconds: 30_004, cost: 0.20),
            syncModel: syncModel, batchModel: batchModel)
        #expect(decision.breakEvenPrompts == 10_747)
        #expect(abs((decision.projectedSyncSeconds ?? 0) - 4 * 86_400) < 1e-6)
        #expect(abs((decision.projectedBatchSeconds ?? 0) - 30_004) < 1e-6)
        #expect(decision.verdict.hasPrefix("batch: it finished 3.7 d sooner"), "\(decision.verdict)")
        #expect(decision.verdict.contains("the batch costs 50.0% less"))
        #expect(decision.verdict.contains("from 10,747 prompts"))
        let table = decision.renderTable()
        #expect(table.contains("break-even job size: 10,747 prompts"))
        #expect(table.contains("time to last result"))
    }

    @Test func aSideThatAnsweredNothingNeverWins() {
        let decision = BatchDecision(
            tier: "tier1", model: "m", prompts: 50_000, sync: side(seconds: 10, cost: 1),
            batch: side(seconds: 5, cost: 0, succeeded: 0), syncModel: syncModel, batchModel: batchModel)
        #expect(decision.verdict.hasPrefix("sync: the batch answered nothing"))
        #expect(decision.verdict.contains("failed prompts: sync 0, batch 50000"))
        let nothing = BatchDecision(
            tier: "tier1", model: "m", prompts: 50_000, sync: side(seconds: 10, cost: 1, succeeded: 0),
            batch: side(seconds: 5, cost: 0, succeeded: 0), syncModel: syncModel, batchModel: batchModel)
        #expect(nothing.verdict == "neither way answered a prompt: no decision")
    }

    @Test func overridesSetWarmupAndARetrySectionOnlyWhenAbsent() throws {
        let text = """
            version: 1
            name: t
            target: mock
            endpoint: chat
            model: gpt-4o-mini
            request: { messages: [{ role: user, content: "{prompt}" }] }
            load: { max_workers: 2, duration: 10s, warmup: 2s }
            """
        let overrides = ScenarioOverrides(
            requests: "7", warmup: "0s", defaultRetry: [("max_attempts", "9"), ("max_server_delay", "24h")])
        let scenario = try ScenarioLoader.parse(text: text, fileName: "t.yaml", overrides: overrides)
        #expect(scenario.load.warmup == .zero)
        #expect(scenario.load.requests == 7)
        #expect(scenario.retry.maxAttempts == 9)
        let own = try ScenarioLoader.parse(
            text: text + "\nretry: { max_attempts: 2 }", fileName: "t.yaml", overrides: overrides)
        #expect(own.retry.maxAttempts == 2)
    }
}
