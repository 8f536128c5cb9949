import Foundation
import Testing

@testable import TierbenchCore

/// Tier comparison, sweep.json, sweep.csv, the console table and time-scale conversion.
struct SweepReportTests {
    static let grid = [1, 2, 4, 8, 16, 32, 64]
    /// gpt-4o-mini list prices, USD per 1M tokens.
    static let price = TokenPrice(inputPerMillionUSD: 0.15, outputPerMillionUSD: 0.60)

    /// Two tiers × batch sizes 1 and 10. tier1: 40 req/s at batch 1 (w* = 12), 8 req/s at batch 10 (w* = 3.2);
    /// tier2: 100 req/s (w* = 30) and 20 req/s (w* = 8).
    static func points(model: String = "m") -> [SweepPoint] {
        let servers: [(String, Int, SyntheticServer)] = [
            ("tier1", 1, SyntheticServer(latency: 0.3, requestLimit: 40)),
            ("tier1", 10, SyntheticServer(latency: 0.4, requestLimit: 8, batchSize: 10)),
            ("tier2", 1, SyntheticServer(latency: 0.3, requestLimit: 100)),
            ("tier2", 10, SyntheticServer(latency: 0.4, requestLimit: 20, batchSize: 10)),
        ]
        return servers.flatMap { tier, _, server in
            grid.map { workers in
                var result = server.point(workers: workers, tier: tier)
                result.settings.model = model
                return SweepPoint(result: result, runSummaries: [.object([.init("requests", .int(workers))])])
            }
        }
    }

    static func spec(models: [String] = ["m"]) -> SweepSpec {
        SweepSpec(
            maxWorkers: .list(grid), batchSizes: [1, 10], tiers: [.mock("tier1"), .mock("tier2")], models: models)
    }

    @Test("a tier's requests per day pace the projection once the day's budget is spent; the cost stays the same")
    func dailyLimitPacesTheProjection() throws {
        let limits: [TierComparison.TierModel: TierLimits] = [
            .init(tier: "tier1", model: "m"): TierLimits(requestsPerMinute: 500, requestsPerDay: 400)
        ]
        let result = SweepResult.build(
            spec: Self.spec(), timeScale: 1, points: Self.points(), prices: ["m": Self.price], limits: limits)
        let tier1 = try #require(result.comparison.rows.first)
        // 10,000 prompts at batch 10 = 1,000 requests at 5 req/s: 400 in 80 s, then 600 at 400 a day.
        #expect(abs((tier1.wallSecondsForPrompts ?? 0) - (80 + 600 * 86_400 / 400)) < 1e-6)
        #expect(tier1.dailyLimitNote == "RPD 400: 600 requests wait for later days")
        #expect(abs((tier1.costForPromptsUSD ?? 0) - 0.24) < 1e-9)
        #expect(result.comparison.rows[1].dailyLimitNote == nil)
        let table = SweepReport.renderTable(result.comparison)
        #expect(table.contains("36.0 h"))
        #expect(table.contains("paced by the day limit: RPD 400"))
    }

    @Test("the comparison picks the batch size with the most goodput in prompts/s and projects N prompts")
    func comparison() throws {
        let result = SweepResult.build(
            spec: Self.spec(), timeScale: 1, points: Self.points(), prices: ["m": Self.price])
        let rows = result.comparison.rows
        #expect(rows.map(\.tier) == ["tier1", "tier2"])
        let tier1 = try #require(rows.first)
        #expect(tier1.batchSize == 10 && tier1.maxWorkers == 2)
        #expect(tier1.outcome == .knee && tier1.plateauReached)
        #expect(abs((tier1.goodputPromptsPerSecond ?? 0) - 50) < 1e-9)
        #expect(abs((tier1.maxRequestsPerMinute ?? 0) - 480) < 1e-6)
        #expect(abs((tier1.maxTokensPerMinute ?? 0) - 480_000) < 1e-3)
        // 100 tokens per prompt, 80 in and 20 out: (80 × 0.15 + 20 × 0.60) / 1e6 = $0.000024 per prompt.
        #expect(abs((tier1.costPerHourUSD ?? 0) - 50 * 0.000024 * 3600) < 1e-9)
        #expect(abs((tier1.wallSecondsForPrompts ?? 0) - 200) < 1e-9)
        #expect(abs((tier1.costForPromptsUSD ?? 0) - 0.24) < 1e-9)
        let tier2 = rows[1]
        #expect(tier2.batchSize == 10 && tier2.maxWorkers == 8)
        #expect(abs((tier2.wallSecondsForPrompts ?? 0) - 50) < 1e-9)
        #expect(abs((tier2.costForPromptsUSD ?? 0) - 0.24) < 1e-9)
        let batch = try #require(result.comparison.batchAPI.first)
        #expect(abs((batch.costForPromptsUSD ?? 0) - 0.12) < 1e-9)
        #expect(batch.completionWindowHours == 24)
        #expect(result.recommendation["tier1"]?.maxWorkers == 2)
        #expect(result.recommendation["tier2"]?.batchSize == 10)
    }

    @Test("without prices the cost comes from the runs' cost, or stays unknown")
    func costFallback() throws {
        var points = Self.points()
        let unpriced = SweepResult.build(spec: Self.spec(), timeScale: 1, points: points)
        #expect(unpriced.comparison.rows.allSatisfy { $0.costPerHourUSD == nil && $0.costForPromptsUSD == nil })
        #expect(unpriced.comparison.batchAPI.first?.costForPromptsUSD == nil)
        for index in points.indices {
            let figures = points[index].result.figures
            let perSecond = Self.price.costPerSecond(
                inputTokensPerSecond: figures.inputTokensPerSecond,
                outputTokensPerSecond: figures.outputTokensPerSecond)
            points[index].result.figures.costUSD = perSecond * figures.durationSeconds
        }
        let fromRuns = SweepResult.build(spec: Self.spec(), timeScale: 1, points: points)
        #expect(abs((fromRuns.comparison.rows[0].costForPromptsUSD ?? 0) - 0.24) < 1e-9)
    }

    @Test("a point's own cost (cached prompt tokens priced) wins over list price × token rates")
    func pointCostWinsOverTokenRates() throws {
        var points = Self.points()
        for index in points.indices {
            // As if caching had halved the cost the token rates give at list prices.
            let figures = points[index].result.figures
            let perSecond = Self.price.costPerSecond(
                inputTokensPerSecond: figures.inputTokensPerSecond,
                outputTokensPerSecond: figures.outputTokensPerSecond)
            points[index].result.figures.costUSD = perSecond / 2 * figures.durationSeconds
        }
        let result = SweepResult.build(spec: Self.spec(), timeScale: 1, points: points, prices: ["m": Self.price])
        let tier1 = try #require(result.comparison.rows.first)
        #expect(abs((tier1.costForPromptsUSD ?? 0) - 0.12) < 1e-9)  // half of the list-price 0.24
        #expect(abs((tier1.costPerHourUSD ?? 0) - 50 * 0.000012 * 3600) < 1e-9)
        #expect(abs((result.comparison.batchAPI.first?.costForPromptsUSD ?? 0) - 0.06) < 1e-9)
    }

    @Test("sweep.json: snake_case keys, recommendation per tier, time scale stated, round-trips")
    func sweepJSON() throws {
        let result = SweepResult.build(
            spec: Self.spec(), timeScale: 60, points: Self.points(), refinedWorkers: [:], prices: ["m": Self.price])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(result)
        let json = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(json["recommendation"]?["tier1"]?["max_workers"] == .int(2))
        #expect(json["recommendation"]?["tier1"]?["batch_size"] == .int(10))
        #expect(json["recommendation"]?["tier2"]?["reason"] != nil)
        #expect(json["time_scale"] == .int(60))
        guard case .string(let note)? = json["time_scale_note"] else {
            Issue.record("no time_scale_note")
            return
        }
        #expect(note.contains("time_scale 60"))
        guard case .array(let points)? = json["points"], case .array(let curves)? = json["curves"] else {
            Issue.record("no points or curves")
            return
        }
        #expect(points.count == 28)
        #expect(points[0]["settings"]?["max_workers"] == .int(1))
        #expect(points[0]["figures"]?["goodput_requests_per_s"] != nil)
        #expect(points[0]["run_summaries"] == .array([.object([.init("requests", .int(1))])]))
        #expect(curves[0]["analysis"]?["throughput_knee"] == .int(16))
        #expect(curves[0]["key"]?["batch_size"] == .int(1))
        let decoded = try JSONDecoder().decode(SweepResult.self, from: data)
        #expect(decoded == result)
    }

    @Test("several models key the recommendation by tier/model")
    func severalModels() {
        let points = Self.points(model: "a") + Self.points(model: "b")
        let result = SweepResult.build(spec: Self.spec(models: ["a", "b"]), timeScale: 1, points: points)
        #expect(Set(result.recommendation.keys) == ["tier1/a", "tier2/a", "tier1/b", "tier2/b"])
        #expect(result.comparison.batchAPI.map(\.model) == ["a", "b"])
    }

    @Test("sweep.csv has one row per point with every figure, quoted where needed")
    func csv() {
        let points = Self.points(model: "gpt,odd")
        let text = SweepReport.csv(points)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == points.count + 2)  // header, rows, and the empty string after the last newline
        #expect(lines.last == "")
        let columns = SweepReport.csvHeader.split(separator: ",").count
        #expect(columns == 6 + SweepFigures.namedFigures.count + 1 + 3 * SweepReport.spreadColumns.count)
        for line in lines.dropFirst().dropLast() {
            #expect(line.contains("\"gpt,odd\""))
            #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == columns + 1)
        }
        #expect(lines[1].hasPrefix("tier1,\"gpt,odd\",1,,1,1,"))
    }

    @Test("the console table aligns its columns and lists the Batch API and the time scale")
    func table() {
        let result = SweepResult.build(
            spec: Self.spec(), timeScale: 60, points: Self.points(), prices: ["m": Self.price])
        let text = SweepReport.renderTable(result.comparison, timeScale: 60)
        let lines = text.split(separator: "\n").map(String.init)
        let tableLines = Array(lines.prefix(2 + result.comparison.rows.count + result.comparison.batchAPI.count))
        #expect(Set(tableLines.map(\.count)).count == 1, "\(tableLines)")
        #expect(tableLines[0].hasPrefix("tier "))
        #expect(tableLines[1].allSatisfy { $0 == "-" || $0 == " " })
        #expect(tableLines[2].hasPrefix("tier1"))
        #expect(tableLines[2].contains("$0.2400"))
        #expect(tableLines.last?.hasPrefix("Batch API") == true)
        #expect(tableLines.last?.contains("$0.1200 (50%)") == true)
        #expect(text.contains("time_scale 60"))
        #expect(text.contains("tier1 (m): 2 workers"))
    }

    @Test("figures measured under a time scale are converted to real units")
    func timeScale() {
        #expect(SweepTimeScale.realRate(120, scale: 60) == 2)
        #expect(SweepTimeScale.realDuration(0.05, scale: 60) == 3)
        #expect(SweepTimeScale.isScaled(60) && !SweepTimeScale.isScaled(1) && !SweepTimeScale.isScaled(0.5))
        let measured = SyntheticServer(latency: 0.005, requestLimit: 600).figures(workers: 1)
        let real = SweepTimeScale.realFigures(measured, scale: 60)
        #expect(abs(real.requestsPerSecond - measured.requestsPerSecond / 60) < 1e-9)
        #expect(abs(real.goodputTokensPerSecond - measured.goodputTokensPerSecond / 60) < 1e-9)
        #expect(abs(real.p95Ms - 300) < 1e-9)
        #expect(abs(real.durationSeconds - 1200) < 1e-9)
        #expect(real.errorRatePerAttempt == measured.errorRatePerAttempt)
        #expect(SweepTimeScale.realFigures(measured, scale: 1) == measured)
        #expect(SweepTimeScale.realFigures(measured, scale: .nan) == measured)
    }
}
