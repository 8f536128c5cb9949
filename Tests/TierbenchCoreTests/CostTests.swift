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

    /// Four requests of 250,000 prompt tokens (100,000 of them cached) and 50,000 completion tokens:
    /// 1,000,000 prompt tokens of which 400,000 cached, 200,000 completion tokens in all.
    static func cachedRecorder() -> MetricsRecorder {
        var recorder = MetricsRecorder()
        for index in 0..<4 {
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: 1_000_000, status: 200,
                usage: TokenUsage(prompt: 250_000, completion: 50_000, cachedPrompt: 100_000)))
        }
        return recorder
    }

    @Test func cachedInputTokensArePricedAtTheCachedPrice() throws {
        let recorder = Self.cachedRecorder()
        #expect(recorder.usage == TokenUsage(prompt: 1_000_000, completion: 200_000, cachedPrompt: 400_000))
        let cost = try #require(CostSummary(recorder: recorder, model: "gpt-4o-mini", table: Self.table,
                                            promptsToProcess: 10_000))
        // (600,000 × 0.15 + 400,000 × 0.075 + 200,000 × 0.60) / 1e6 = 0.09 + 0.03 + 0.12 = $0.24.
        #expect(cost.usd == 0.24)
        #expect(cost.cachedInputPer1MUSD == 0.075)
        #expect(cost.per1000RequestsUSD == 60)  // 0.24 / 4 × 1,000
        #expect(cost.projectedUSD == 600)  // 0.24 / 4 prompts × 10,000
        // Batch prices every prompt token at batch_input: (1,000,000 × 0.075 + 200,000 × 0.30) / 1e6 = $0.135.
        #expect(cost.projectedBatchUSD == 337.5)  // 0.135 / 4 × 10,000
        // The same through the table and the model price.
        #expect(Self.table.cost(model: "gpt-4o-mini", promptTokens: 1_000_000, completionTokens: 200_000,
                                cachedPromptTokens: 400_000).map(CostSummary.rounded) == 0.24)
        #expect(Self.table.cost(model: "gpt-4o-mini", promptTokens: 1_000_000, completionTokens: 200_000,
                                cachedPromptTokens: 400_000, batch: true).map(CostSummary.rounded) == 0.135)
        // Without cached tokens: (1,000,000 × 0.15 + 200,000 × 0.60) / 1e6 = $0.27.
        #expect(Self.table.cost(model: "gpt-4o-mini", promptTokens: 1_000_000, completionTokens: 200_000)
            .map(CostSummary.rounded) == 0.27)
    }

    @Test func withoutACachedPriceCachedTokensCostTheInputPrice() throws {
        let cost = try #require(CostSummary(recorder: Self.cachedRecorder(), model: "no-batch", table: Self.table,
                                            promptsToProcess: 4))
        // (600,000 × 1.0 + 400,000 × 1.0 + 200,000 × 2.0) / 1e6 = $1.40: the same as if nothing were cached.
        #expect(cost.usd == 1.4)
        #expect(cost.cachedInputPer1MUSD == 1.0)
        let price = try #require(Self.table.modelPrice(for: "no-batch"))
        #expect(price.usd(TokenUsage(prompt: 1_000_000, completion: 200_000, cachedPrompt: 400_000))
            == price.usd(TokenUsage(prompt: 1_000_000, completion: 200_000)))
    }

    @Test func cachedCountsOutsideThePromptAreClamped() throws {
        let price = try #require(Self.table.modelPrice(for: "gpt-4o-mini"))
        // More cached than prompt tokens: all 1,000 prompt tokens at 0.075, not a negative uncached part.
        #expect(CostSummary.rounded(price.usd(TokenUsage(prompt: 1_000, cachedPrompt: 5_000))) == 0.000075)
        // A negative count is none.
        #expect(CostSummary.rounded(price.usd(TokenUsage(prompt: 1_000, cachedPrompt: -5))) == 0.00015)
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

    /// `requests: 9223372036854775807`, `n` and `max_tokens` of 4e9, or `max_usd: 1e300` trapped `tierbench run
    /// --dry-run` (inputs in Tests/Fuzz/corpus/FuzzScenario/crash-dry-run-*.yaml). The loader now refuses them
    /// (`ScenarioLimits`); the estimate's own arithmetic saturates as well, checked here on values set directly.
    @Test func dryRunSaturatesInsteadOfTrapping() throws {
        let body = RequestBody(bytes: [], promptCount: 1, estimatedPromptTokens: 10, maxTokens: 4_000_000_000,
                               choices: 4_000_000_000)
        #expect(body.maxCompletionTokens == .max)
        #expect(throws: ScenarioErrors.self) {
            try ScenarioLoader.parse(
                text: "version: 1\nmodel: no-batch\nload: { requests: 9223372036854775807 }", fileName: "r.yaml")
        }
        var many = try ScenarioLoader.parse(text: "version: 1\nmodel: no-batch\nload: { requests: 1 }", fileName: "r.yaml")
        many.load.requests = .max
        let small = RequestBody(bytes: [], promptCount: 1, estimatedPromptTokens: 10, maxTokens: 50, choices: 1)
        let estimate = DryRunEstimate(scenario: many, bodies: [small, body], traceRows: nil, prices: Self.table)
        #expect(estimate.requests == .max)
        #expect(estimate.promptTokens == .max)
        #expect(estimate.maxCompletionTokens == .max)
        var rich = try ScenarioLoader.parse(
            text: "version: 1\nmodel: no-batch\nload: { duration: 10s }\nbudget: { max_usd: 1 }", fileName: "b.yaml")
        rich.budget.maxUSD = 1e300
        let text = DryRunEstimate(scenario: rich, bodies: [small], traceRows: nil, prices: Self.table).render(target: "x")
        #expect(text.contains("stops the run after about 9,000,000,000,000,000,000 requests"))
    }
}
