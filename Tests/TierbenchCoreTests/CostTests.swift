import Testing
@testable import TierbenchCore

/// Cost figures and the dry-run estimate against hand-computed ground truth.
struct CostTests {
    static let table = PriceTable(
        date: "2026-10-04", source: "test",
        models: [
            "gpt-4o-mini": .init(input: 0.15, cachedInput: 0.075, output: 0.60, batchInput: 0.075, batchOutput: 0.30),
            "no-batch": .init(input: 1.0, output: 2.0),
        ])

    @Test func runCostPerThousandAndProjection() throws {
        var recorder = MetricsRecorder()
        for index in 0..<4 {
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: 1_000_000, status: 200,
                usage: TokenUsage(prompt: 250, completion: 125)))
        }
        recorder.record(RequestOutcome(index: 4, intendedStart: 0, actualStart: 0, end: 1_000_000, status: 500,
                                       errorClass: .http5xx))
        let cost = try #require(CostSummary(recorder: recorder, model: "gpt-4o-mini-2024-07-18", table: Self.table,
                                            promptsToProcess: 10_000))
        // 1000 prompt and 500 completion tokens: (1000 × 0.15 + 500 × 0.60) / 1e6.
        #expect(cost.usd == 0.00045)
        #expect(cost.per1000RequestsUSD == 0.1125)  // per 1,000 *successful* requests
        #expect(cost.projectedUSD == 1.125)  // 0.00045 / 4 prompts × 10,000
        #expect(cost.projectedBatchUSD == 0.5625)  // (1000 × 0.075 + 500 × 0.30) / 1e6 / 4 × 10,000
        #expect(cost.priceDate == "2026-10-04")
        #expect(cost.consoleLine.contains("$0.000450 (gpt-4o-mini-2024-07-18, prices of 2026-10-04)"))
        // Without batch prices the Batch API costs half.
        let half = try #require(CostSummary(recorder: recorder, model: "no-batch", table: Self.table, promptsToProcess: 4))
        #expect(half.batchInputPer1MUSD == 0.5 && half.batchOutputPer1MUSD == 1.0)
        #expect(half.projectedBatchUSD == half.projectedUSD / 2)
        #expect(CostSummary(recorder: recorder, model: "unknown", table: Self.table, promptsToProcess: 1) == nil)
    }

    @Test func dryRunCountsRequestsTokensAndCost() throws {
        let scenario = try ScenarioLoader.parse(text: """
            version: 1
            model: no-batch
            load: { rate: 20, duration: 10s }
            budget: { max_usd: 0.01, prompts_to_process: 1000 }
            """, fileName: "dry.yaml")
        let bodies = [
            RequestBody(bytes: [], promptCount: 1, estimatedPromptTokens: 10, maxTokens: 50, choices: 1),
            RequestBody(bytes: [], promptCount: 1, estimatedPromptTokens: 30, maxTokens: 50, choices: 2),
        ]
        let estimate = DryRunEstimate(scenario: scenario, bodies: bodies, traceRows: nil, prices: Self.table)
        #expect(estimate.requests == 200)  // 20/s × 10 s
        #expect(estimate.promptTokens == 100 * 10 + 100 * 30)
        #expect(estimate.maxCompletionTokens == 100 * 50 + 100 * 100)
        // (4000 × 1 + 15000 × 2) / 1e6 = 0.034; one request on average (40 × 1 + 150 × 2) / 2 / 1e6 = 0.00017.
        #expect(estimate.costUSD == 0.034)
        #expect(estimate.costPerRequestUSD == 0.00017)
        #expect(estimate.projectedUSD == 0.17)  // 1000 prompts × 0.00017
        let text = estimate.render(target: "built-in mock")
        #expect(text.contains("Requests    200 (rate 20/s for 10s)"))
        #expect(text.contains("Budget      $0.010000: stops the run after about 58 requests"))

        let closed = try ScenarioLoader.parse(text: "version: 1\nload: { max_workers: 4, duration: 1m }", fileName: "c.yaml")
        let unknown = DryRunEstimate(scenario: closed, bodies: bodies, traceRows: nil, prices: Self.table)
        #expect(unknown.requests == nil)
        #expect(unknown.render(target: "x").contains("Requests    unknown (closed loop for 1m: depends on latency)"))
    }
}
