import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench sweep --price-file`: every point's run, the points' `cost_usd` and the comparison are priced from the
/// file, and a bad file fails as it does for `run`. Three short points against the mock (about 1.5 s in all).
@Suite("tierbench sweep --price-file", .serialized)
struct SweepPriceFileTests {
    /// gpt-3.5-turbo-instruct is $1.50 / $2.00 per 1M tokens in the built-in table; the file says $3 / $5.
    static let priceFile = #"{"date": "2027-01-01", "source": "test", "models": "#
        + #"{"gpt-3.5-turbo-instruct": {"input": 3, "cached_input": 1, "output": 5}}}"#

    /// Three closed-loop points (1, 2 and 4 workers; a knee analysis needs three), 400 ms each at 50 ms per request:
    /// about 8, 16 and 32 requests.
    static let yaml = """
        version: 1
        name: sweep-prices
        target: mock
        endpoint: completions
        model: gpt-3.5-turbo-instruct
        request: { prompt: "{prompt}", max_tokens: 10 }
        prompts: { inline: ["forty bytes of prompt text, ten tokens.."] }
        load: { max_workers: 1, duration: 400ms }
        mock: { latency: 50ms, output_tokens: 10 }
        sweep:
          max_workers: [1, 2, 4]
          tier: [{ label: unlimited, preset: unlimited }]
          model: [gpt-3.5-turbo-instruct]
          prompts_to_process: 1000
        """

    @Test("the price file prices every point's run summary, its cost_usd and the comparison",
          .timeLimit(.minutes(1)))
    func priceFilePricesTheSweep() async throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        let file = scenario.directory + "/prices.json"
        try Self.priceFile.write(toFile: file, atomically: true, encoding: .utf8)
        var options = scenario.sweepOptions()
        options.priceFile = file
        let outcome = try await SweepRunner.run(options)
        #expect(outcome.result.points.count == 3)
        for point in outcome.result.points {
            let summaryJSON = try #require(point.runSummaries.first)
            let summary = try RunSummary.decode(Data(summaryJSON.jsonText.utf8))
            let cost = try #require(summary.cost)
            #expect(cost.priceDate == "2027-01-01")
            #expect(cost.inputPer1MUSD == 3 && cost.outputPer1MUSD == 5 && cost.cachedInputPer1MUSD == 1)
            let tokens = summary.tokens
            #expect(tokens.prompt > 0 && tokens.completion > 0)
            #expect(tokens.cachedPrompt == 0)  // the mock reports cached_tokens 0
            let fileCost = (Double(tokens.prompt) * 3 + Double(tokens.completion) * 5) / 1e6
            let builtInCost = (Double(tokens.prompt) * 1.5 + Double(tokens.completion) * 2) / 1e6
            #expect(abs(cost.usd - fileCost) < 1e-9)
            let pointCost = try #require(point.result.figures.costUSD)
            #expect(abs(pointCost - fileCost) < 1e-12, "cost_usd \(pointCost), file prices \(fileCost)")
            #expect(abs(pointCost - builtInCost) > 1e-6)
        }
        let row = try #require(outcome.result.comparison.rows.first)
        let recommended = outcome.result.points.first { $0.result.settings.maxWorkers == row.maxWorkers }
        let figures = try #require(recommended, "\(row)").result.figures
        let perSecond = (figures.inputTokensPerSecond * 3 + figures.outputTokensPerSecond * 5) / 1e6
        let perHour = try #require(row.costPerHourUSD)
        #expect(abs(perHour / (perSecond * 3600) - 1) < 0.01, "$/hour \(perHour), file prices \(perSecond * 3600)")
        let batch = try #require(outcome.result.comparison.batchAPI.first?.costForPromptsUSD)
        #expect(abs(batch - (row.costForPromptsUSD ?? 0) / 2) < 1e-12)
        // --resume uses the same file: the state records its absolute path.
        let stateData = try Data(contentsOf: URL(fileURLWithPath: outcome.directory + "/sweep-state.json"))
        let state = try JSONSerialization.jsonObject(with: stateData) as? [String: Any]
        #expect(state?["priceFile"] as? String == URL(fileURLWithPath: file).standardizedFileURL.path)
    }

    @Test("a missing or malformed price file fails the sweep with run's error, before anything is written")
    func badPriceFile() async throws {
        let scenario = try TestScenario(Self.yaml)
        defer { scenario.cleanup() }
        let malformed = scenario.directory + "/bad.json"
        try #"{"date": "2027-01-01", "models": {"gpt-3.5-turbo-instruct": {"input": "cheap"}}}"#
            .write(toFile: malformed, atomically: true, encoding: .utf8)
        for file in [scenario.directory + "/missing.json", malformed] {
            var runOptions = scenario.options()
            runOptions.priceFile = file
            var sweepOptions = scenario.sweepOptions()
            sweepOptions.priceFile = file
            var runError: EngineError?
            do { _ = try await Runner.run(runOptions) } catch { runError = error }
            var sweepError: EngineError?
            do { _ = try await SweepRunner.run(sweepOptions) } catch { sweepError = error }
            let message = try #require(sweepError?.description)
            #expect(message == runError?.description)
            #expect(message.contains(file))
            #expect(message.contains("--price-file") || message.contains("not a price file"), "\(message)")
            #expect(sweepError?.exitCode == ExitCodes.scenarioError)
            #expect(!FileManager.default.fileExists(atPath: scenario.output), "nothing written for \(file)")
        }
    }

    @Test("a point's cost_usd prices cached prompt tokens at cached_input (the mock reports none, so a unit test)")
    func pointCostPricesCachedTokens() throws {
        // 1,000,000 prompt tokens of which 400,000 cached, 200,000 completion tokens, over four requests.
        var recorder = MetricsRecorder()
        for index in 0..<4 {
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: 1_000_000_000, status: 200,
                usage: TokenUsage(prompt: 250_000, completion: 50_000, cachedPrompt: 100_000)))
        }
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z")
        let report = RunReport(
            summary: summary, directory: "", summaryJSON: "", mockStats: nil, interrupted: false, recorder: recorder)
        func cost(_ price: PriceTable.ModelPrice) -> Double? {
            SweepFigureExtractor.figures(report: report, sloP95: nil, batchSize: 1, timeScale: 1, price: price).costUSD
        }
        // (600,000 × 0.15 + 400,000 × 0.075 + 200,000 × 0.60) / 1e6 = $0.24.
        let cached = try #require(cost(.init(input: 0.15, cachedInput: 0.075, output: 0.60)))
        #expect(abs(cached - 0.24) < 1e-12)
        // Without a cached price every prompt token is at the input price: $0.27.
        let uncached = try #require(cost(.init(input: 0.15, output: 0.60)))
        #expect(abs(uncached - 0.27) < 1e-12)
    }
}
