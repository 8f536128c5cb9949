import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Prices, run cost, `budget.max_usd` and `--dry-run`, checked against the mock's own spend and hand arithmetic.
@Suite("Cost, budget and dry run", .serialized)
struct CostBudgetTests {
    /// One request: "hello" is 8 prompt tokens to the mock (3 + 2 + 3) and exactly 100 completion tokens, at
    /// gpt-4o-mini's $0.15 / $0.60 per 1M: (8 × 0.15 + 100 × 0.60) / 1e6 = $0.0000612.
    static let requestCost = (8 * 0.15 + 100 * 0.60) / 1e6

    static func yaml(_ name: String, load: String, budget: String = "") -> String {
        """
        version: 1
        name: \(name)
        model: gpt-4o-mini
        request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 100 }
        prompts: { inline: ["hello"] }
        load: \(load)
        mock: { output_tokens: 100 }
        \(budget)
        """
    }

    @Test("the shipped price file is the reference's §7 table, dated")
    func shippedPrices() throws {
        let table = PriceCatalog.builtIn
        #expect(table.date == "2026-10-04")
        let mini = try #require(table.modelPrice(for: "gpt-4o-mini-2024-07-18"))
        #expect(mini == .init(input: 0.15, cachedInput: 0.075, output: 0.60, batchInput: 0.075, batchOutput: 0.30))
        #expect(table.modelPrice(for: "gpt-4o")?.output == 10.00)
        #expect(table.modelPrice(for: "text-embedding-3-small")?.input == 0.02)
    }

    @Test("run cost equals the mock's spend; cost per 1,000 requests and the projection follow")
    func runCost() async throws {
        let scenario = try TestScenario(Self.yaml("cost", load: "{ max_workers: 2, requests: 50 }",
                                                  budget: "budget: { prompts_to_process: 20000 }"))
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let cost = try #require(report.summary.cost)
        let mock = try #require(report.mockStats)
        #expect(abs(cost.usd - 50 * Self.requestCost) < 1e-9)
        #expect(abs(cost.usd - mock.spendUSD) < 1e-9)
        #expect(abs(cost.per1000RequestsUSD - 1_000 * Self.requestCost) < 1e-9)
        #expect(abs(cost.projectedUSD - 20_000 * Self.requestCost) < 1e-9)
        #expect(cost.budget == nil)
    }

    @Test("with prefix-cache hits the run cost still equals the mock's spend (cached tokens at cached_input)")
    func runCostWithCachedTokens() async throws {
        // 244 bytes → 61 content tokens + 3 framing + 3 priming = 67 prompt tokens, 64 of them in four 16-token
        // blocks: the first request finds nothing, the other nine find 64.
        let prompt = String(repeating: "a", count: 244)
        let scenario = try TestScenario("""
            version: 1
            name: cost-cached
            model: gpt-4o-mini
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 100 }
            prompts: { inline: ["\(prompt)"] }
            load: { max_workers: 1, requests: 10 }
            mock: { output_tokens: 100, prefix_cache: { block_tokens: 16, min_tokens: 32, capacity_tokens: 1024 } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let cost = try #require(report.summary.cost)
        let mock = try #require(report.mockStats)
        #expect(mock.cachedTokens == 9 * 64)
        let cold = (67 * 0.15 + 100 * 0.60) / 1e6
        let warm = (3 * 0.15 + 64 * 0.075 + 100 * 0.60) / 1e6
        #expect(abs(mock.spendUSD - (cold + 9 * warm)) < 1e-12)
        #expect(abs(cost.usd - mock.spendUSD) < 1e-12)
    }

    @Test("--price-file replaces the built-in prices")
    func priceFileOverride() async throws {
        let scenario = try TestScenario(Self.yaml("cost-file", load: "{ max_workers: 1, requests: 10 }"))
        defer { scenario.cleanup() }
        let file = scenario.directory + "/prices.json"
        try #"{"date": "2027-01-01", "source": "test", "models": {"gpt-4o-mini": {"input": 1, "output": 2}}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        var options = scenario.options()
        options.priceFile = file
        let cost = try #require(try await Runner.run(options).summary.cost)
        #expect(cost.priceDate == "2027-01-01")
        #expect(abs(cost.usd - 10 * (8 * 1 + 100 * 2) / 1e6) < 1e-12)
        options.priceFile = scenario.directory + "/missing.json"
        await #expect(throws: EngineError.self) { try await Runner.run(options) }
    }

    @Test("budget.max_usd stops sending before the spend passes it", arguments: [1, 4])
    func budgetStops(workers: Int) async throws {
        // $0.01 buys 163 requests of $0.0000612 (163.4); the estimate (8 prompt tokens, max_tokens 100) is exact.
        let scenario = try TestScenario(Self.yaml(
            "budget", load: "{ max_workers: \(workers), requests: 1000 }", budget: "budget: { max_usd: 0.01 }"))
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let mock = try #require(report.mockStats)
        #expect(report.summary.requests.total == 163)
        #expect(mock.requests == 163)
        #expect(mock.spendUSD <= 0.01)
        let budget = try #require(report.summary.cost?.budget)
        #expect(budget.stopped)
        #expect(abs(budget.spentUSD - mock.spendUSD) < 1e-9)
        #expect(report.summary.interrupted)
    }

    @Test("--dry-run prints requests, tokens and cost and starts nothing")
    func dryRun() throws {
        let scenario = try TestScenario(Self.yaml(
            "dry", load: "{ rate: 50, duration: 4s }", budget: "budget: { max_usd: 0.001, prompts_to_process: 1000 }"))
        defer { scenario.cleanup() }
        let text = try Runner.dryRun(scenario.options())
        #expect(text.contains("Requests    200 (rate 50/s for 4s)"))
        #expect(text.contains("Tokens      prompt ≈ 1,600 · completion ≤ 20,000"))
        #expect(text.contains("≤ $0.012240"))  // 200 × 0.0000612
        #expect(text.contains("Projection  1,000 prompts ≤ $0.061200"))
        #expect(text.contains("stops the run after about 16 requests"))
        #expect(!FileManager.default.fileExists(atPath: scenario.output))
    }

    /// `n` and `max_tokens` have no upper bound in a request template; their product (the throttle's token cost and
    /// the budget's per-request estimate) overflowed Int and trapped `tierbench run` while building the load plan.
    /// Found with the FuzzScenario fuzz target's dry-run path (Tests/Fuzz/corpus/FuzzScenario/crash-dry-run-*.yaml).
    @Test("n × max_tokens beyond Int neither traps the load plan nor --dry-run")
    func hugeCompletionBound() throws {
        // The loader refuses such values now (`ScenarioLimits`); the plan's arithmetic saturates as well, checked on
        // a template set directly.
        let scenario = try TestScenario("""
            version: 1
            model: gpt-4o-mini
            request: { messages: [{ role: user, content: "{prompt}" }], n: 4000000000, max_tokens: 4000000000 }
            prompts: { inline: ["hello"] }
            load: { requests: 9223372036854775807 }
            budget: { max_usd: 1e300 }
            """)
        defer { scenario.cleanup() }
        #expect(throws: EngineError.self) { try ScenarioFile.load(path: scenario.path) }
        let valid = try TestScenario("""
            version: 1
            model: gpt-4o-mini
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 5 }
            prompts: { inline: ["hello"] }
            load: { requests: 10 }
            """)
        defer { valid.cleanup() }
        let loaded = try ScenarioFile.load(path: valid.path)
        var scenarioValue = loaded.scenario
        scenarioValue.request = .object([
            .init("messages", .array([.object([.init("role", .string("user")), .init("content", .string("{prompt}"))])])),
            .init("n", .int(4_000_000_000)), .init("max_tokens", .int(4_000_000_000)),
        ])
        let hostile = ScenarioFile(scenario: scenarioValue, prompts: loaded.prompts, path: valid.path, trace: nil)
        let plan = try LoadPlanBuilder.build(loaded: hostile, baseURL: "http://127.0.0.1:9/v1")
        #expect(plan.tokenCost.count == 1 && plan.tokenCost[0] > 9.2e18)
        #expect(plan.costEstimate.count == 1 && plan.costEstimate[0] > 5e12)  // Int.max tokens × $0.60 per 1M
    }
}
