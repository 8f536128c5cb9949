import Testing

@testable import TierbenchCore

/// Outcomes other than a clean knee, and the pieces the analysis is built from.
struct SweepAnalysisTests {
    /// A curve from explicit (workers, goodput req/s, error rate per attempt, p95 ms) rows.
    static func curve(_ rows: [(Int, Double, Double, Double)], finalErrors: [Double]? = nil) -> SweepCurve {
        let points = rows.enumerated().map { index, row in
            SweepPointResult(
                settings: SweepPoint.Settings(tier: .mock("t"), model: "m", batchSize: 1, maxWorkers: row.0),
                figures: SweepFigures(
                    requestsPerSecond: row.1, successfulRequestsPerSecond: row.1, promptsPerSecond: row.1,
                    tokensPerSecond: row.1 * 100, goodputRequestsPerSecond: row.1, goodputTokensPerSecond: row.1 * 100,
                    errorRatePerAttempt: row.2, errorRateFinal: finalErrors?[index] ?? row.2, rate429: row.2,
                    p50Ms: row.3 / 2, p95Ms: row.3, p99Ms: row.3 * 2, durationSeconds: 10))
        }
        return SweepCurve(key: points[0].settings.curveKey, points: points)
    }

    @Test("a larger batch is chosen only when it beats a smaller one by more than 5%",
          arguments: [(1.04, 1), (1.049, 1), (1.06, 5)])
    func batchSizeTies(advantage: Double, chosenBatch: Int) throws {
        // Each curve levels off at 4 workers; batch 1 answers 100 prompts/s there, batch 5 `advantage` times that.
        func analysed(batch: Int, promptsPerSecond: Double) -> (curve: SweepCurve, analysis: KneeAnalysis) {
            let requests = promptsPerSecond / Double(batch)
            let points = [(1, requests / 4), (2, requests / 2), (4, requests), (8, requests), (16, requests)].map {
                SweepPointResult(
                    settings: SweepPoint.Settings(tier: .mock("t"), model: "m", batchSize: batch, maxWorkers: $0.0),
                    figures: SweepFigures(
                        requestsPerSecond: $0.1, successfulRequestsPerSecond: $0.1,
                        promptsPerSecond: $0.1 * Double(batch), tokensPerSecond: $0.1 * 100,
                        goodputRequestsPerSecond: $0.1, goodputTokensPerSecond: $0.1 * 100, errorRatePerAttempt: 0,
                        errorRateFinal: 0, rate429: 0, p50Ms: 100, p95Ms: 200, p99Ms: 300, durationSeconds: 60))
            }
            let curve = SweepCurve(key: points[0].settings.curveKey, points: points)
            return (curve, KneeAnalysis(curve: curve, options: KneeOptions()))
        }
        let comparison = TierComparison.build(
            curves: [analysed(batch: 1, promptsPerSecond: 100), analysed(batch: 5, promptsPerSecond: 100 * advantage)],
            promptsToProcess: 1_000, prices: [:])
        let row = try #require(comparison.rows.first)
        #expect(row.batchSize == chosenBatch, "batch 5 ahead by \(advantage)")
        #expect(row.maxWorkers == 4)
    }

    @Test("every setting already errors")
    func everySettingErrors() {
        let curve = Self.curve([(1, 10, 0.05, 100), (2, 20, 0.1, 100), (4, 30, 0.2, 100)])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions())
        #expect(analysis.outcome == .everySettingErrors)
        #expect(analysis.recommendedWorkers == nil)
        #expect(analysis.errorKneeAttemptWorkers == 1)
        #expect(analysis.reason.contains("every setting fails"))
        #expect(analysis.refinementCandidates(budget: 8).isEmpty)
    }

    @Test("a limit below one worker's demand: the smallest setting already delivers the plateau and is recommended")
    func limitReachedBySmallestSetting() {
        // A 3-RPM tier: every setting gets 0.05 req/s, and 429s grow with the workers.
        let curve = Self.curve([(1, 0.05, 0.5, 100), (2, 0.0502, 0.7, 100), (4, 0.0499, 0.85, 100), (8, 0.05, 0.9, 100)])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions())
        #expect(analysis.outcome == .everySettingErrors)
        #expect(analysis.recommendedWorkers == 1)
        #expect(analysis.throughputKneeWorkers == 1)
        #expect(abs((analysis.plateau ?? 0) - 0.05) < 0.001)
        #expect(analysis.reason.contains("reached by the smallest setting"))
        #expect(analysis.refinementCandidates(budget: 8).isEmpty)
        let comparison = TierComparison.build(
            curves: [(curve, analysis)], promptsToProcess: 100, prices: [:])
        #expect(comparison.rows.first?.maxWorkers == 1)
        #expect(comparison.rows.first?.plateauReached == true)
    }

    @Test("every setting misses the SLO")
    func everySettingMissesSLO() {
        let curve = Self.curve([(1, 10, 0, 900), (2, 20, 0, 900), (4, 20, 0, 1800)])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions(sloP95Ms: 500))
        #expect(analysis.outcome == .everySettingMissesSLO)
        #expect(analysis.recommendedWorkers == nil)
    }

    @Test("too few points", arguments: [1, 2])
    func tooFewPoints(count: Int) {
        let rows = [(1, 10.0, 0.0, 100.0), (2, 20, 0, 100)].prefix(count)
        let analysis = KneeAnalysis(curve: Self.curve(Array(rows)), options: KneeOptions())
        #expect(analysis.outcome == .tooFewPoints)
        #expect(analysis.recommendedWorkers == nil)
    }

    @Test("a latency knee before the throughput knee caps the recommendation")
    func latencyKnee() {
        let rows: [(Int, Double, Double, Double)] = [
            (1, 10, 0, 100), (2, 20, 0, 100), (4, 40, 0, 120), (8, 80, 0, 300), (16, 160, 0, 400),
            (32, 160, 0, 800), (64, 161, 0, 1600),
        ]
        let withSLO = KneeAnalysis(curve: Self.curve(rows), options: KneeOptions(sloP95Ms: 200))
        #expect(withSLO.outcome == .knee)
        #expect(withSLO.latencyKneeWorkers == 8)
        #expect(withSLO.throughputKneeWorkers == 16)
        #expect(withSLO.recommendedWorkers == 4)
        #expect(withSLO.reason.contains("SLO"))
        let withoutSLO = KneeAnalysis(curve: Self.curve(rows), options: KneeOptions())
        #expect(withoutSLO.latencyKneeWorkers == nil)
        #expect(withoutSLO.recommendedWorkers == 16)
        #expect(withoutSLO.kneedleWorkers == 16)
        #expect(abs((withoutSLO.plateau ?? 0) - 160.5) < 1e-9)
    }

    @Test("error knees per attempt and per final outcome differ when retries recover")
    func errorKneesPerAttemptAndFinal() {
        let rows: [(Int, Double, Double, Double)] = [
            (1, 10, 0, 100), (2, 20, 0, 100), (4, 40, 0.02, 100), (8, 50, 0.2, 100), (16, 50, 0.5, 100),
        ]
        let curve = Self.curve(rows, finalErrors: [0, 0, 0, 0, 0.05])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions())
        #expect(analysis.errorKneeAttemptWorkers == 4)
        #expect(analysis.errorKneeFinalWorkers == 16)
        #expect(analysis.recommendedWorkers == 2)
        #expect(analysis.reason.contains("the error rate passes 1.0% at 4 workers"))
        let lenient = KneeAnalysis(curve: curve, options: KneeOptions(errorThreshold: 0.25))
        #expect(lenient.errorKneeAttemptWorkers == 16)
        #expect(lenient.recommendedWorkers == 8)
    }

    @Test("the plateau fit splits a ramp from a flat top")
    func plateauFit() throws {
        let xs: [Double] = [1, 2, 4, 8, 16, 32]
        let fit = try #require(PlateauFit.fit(xs: xs, ys: [1, 2, 4, 8, 8.2, 7.8]))
        #expect(fit.plateauStart == 3)
        #expect(fit.plateauPoints == 3)
        #expect(abs(fit.plateau - 8) < 1e-9)
        let flat = try #require(PlateauFit.fit(xs: xs, ys: [5, 5, 5, 5, 5, 5]))
        #expect(flat.plateauStart == 0 && flat.plateau == 5)
        #expect(PlateauFit.fit(xs: [], ys: []) == nil)
    }

    @Test("Kneedle finds the elbow of a saturating curve and none on a line")
    func kneedle() {
        #expect(Kneedle.kneeIndex(xs: [1, 2, 3, 4, 5, 6], ys: [1, 5, 5.2, 5.3, 5.3, 5.3]) == 1)
        #expect(Kneedle.kneeIndex(xs: [1, 2, 3, 4], ys: [1, 2, 3, 4]) == nil)
        #expect(Kneedle.kneeIndex(xs: [1, 2], ys: [1, 2]) == nil)
    }

    @Test("repetitions: per-figure median and spread")
    func repetitions() throws {
        let base = Self.curve([(1, 10, 0, 100)]).points[0].figures
        var runs = [base, base, base, base]
        for (index, goodput) in [10.0, 14, 11, 30].enumerated() { runs[index].goodputRequestsPerSecond = goodput }
        for (index, p95) in [100.0, 120, 90, 110].enumerated() { runs[index].p95Ms = p95 }
        let settings = SweepPoint.Settings(tier: .mock("t"), model: "m", batchSize: 1, maxWorkers: 1)
        let result = try #require(SweepPointResult(settings: settings, runs: runs))
        #expect(result.figures.goodputRequestsPerSecond == 12.5)
        #expect(result.figures.p95Ms == 105)
        let spread = try #require(result.spread["goodput_requests_per_s"])
        #expect(spread.min == 10 && spread.max == 30)
        #expect(abs(spread.q1 - 10.75) < 1e-9 && abs(spread.q3 - 18) < 1e-9)
        #expect(abs(spread.iqr - 7.25) < 1e-9)
        #expect(result.figures.costUSD == nil)
        #expect(SweepPointResult(settings: settings, runs: []) == nil)
    }
}
