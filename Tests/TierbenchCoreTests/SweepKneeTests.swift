import Testing

@testable import TierbenchCore

/// A closed loop against a request-limited server (the ground truth of issue 5): `w` workers offer `w / latency`
/// requests per second; the server serves at most `requestLimit` and rejects the rest with 429, so throughput
/// saturates at workers* = limit × latency and the share of rejected attempts is `1 − workers*/w` above it.
struct SyntheticServer {
    /// Seconds per request.
    var latency: Double
    /// Successful requests per second the server allows.
    var requestLimit: Double
    var batchSize = 1
    var tokensPerPrompt = 100.0
    /// Relative throughput noise: each point is multiplied by a deterministic factor in [1 − jitter, 1 + jitter].
    var jitter = 0.0
    var seed: UInt64 = 0

    /// The saturation point, workers* = limit × latency.
    var workersStar: Double { requestLimit * latency }

    /// A server limited by tokens per minute: `tpm / 60 / (batch × tokens per prompt)` requests per second, with a
    /// latency of `base + perPrompt × batch`.
    static func tokenLimited(tpm: Double, batchSize: Int, tokensPerPrompt: Double, base: Double, perPrompt: Double)
        -> SyntheticServer
    {
        SyntheticServer(
            latency: base + perPrompt * Double(batchSize),
            requestLimit: tpm / 60 / (Double(batchSize) * tokensPerPrompt),
            batchSize: batchSize, tokensPerPrompt: tokensPerPrompt)
    }

    func figures(workers: Int) -> SweepFigures {
        let w = Double(workers)
        let rejected = max(0, 1 - workersStar / w)
        let errorRate = rejected < 1e-9 ? 0 : rejected
        let success = min(w / latency, requestLimit) * noise(workers)
        let tokens = success * Double(batchSize) * tokensPerPrompt
        return SweepFigures(
            requestsPerSecond: success / (1 - errorRate), successfulRequestsPerSecond: success,
            promptsPerSecond: success * Double(batchSize), tokensPerSecond: tokens,
            inputTokensPerSecond: tokens * 0.8, outputTokensPerSecond: tokens * 0.2,
            goodputRequestsPerSecond: success, goodputTokensPerSecond: tokens,
            errorRatePerAttempt: errorRate, errorRateFinal: errorRate, rate429: errorRate,
            p50Ms: latency * 900, p95Ms: latency * 1000, p99Ms: latency * 1200, durationSeconds: 20)
    }

    func point(workers: Int, tier: String = "t", batch: Int? = nil) -> SweepPointResult {
        SweepPointResult(
            settings: SweepPoint.Settings(
                tier: .mock(tier), model: "m", batchSize: batch ?? batchSize, maxWorkers: workers),
            figures: figures(workers: workers))
    }

    func curve(_ workers: [Int], tier: String = "t") -> SweepCurve {
        let points = workers.map { point(workers: $0, tier: tier) }
        return SweepCurve(key: points[0].settings.curveKey, points: points)
    }

    /// Deterministic noise factor for one worker count (SplitMix64 of seed and workers).
    private func noise(_ workers: Int) -> Double {
        guard jitter > 0 else { return 1 }
        var z = seed &+ UInt64(workers) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let unit = Double(z >> 11) / Double(1 << 53)
        return 1 + jitter * (2 * unit - 1)
    }

    /// Runs refinement as the engine would: measure the candidates, add them, repeat until none or budget spent.
    func refined(_ curve: SweepCurve, options: KneeOptions, budget: Int) -> (curve: SweepCurve, added: [Int]) {
        var current = curve
        var added: [Int] = []
        while added.count < budget {
            let next = KneeAnalysis.refinementCandidates(
                for: current, options: options, budget: budget - added.count)
            if next.isEmpty { break }
            for workers in next { current.insert(point(workers: workers, batch: current.key.batchSize)) }
            added += next
        }
        return (current, added)
    }
}

/// The grid values bracketing `value` one step either side: the largest below it and the smallest above it.
func gridNeighbours(of value: Double, in grid: [Int]) -> ClosedRange<Int> {
    let lower = grid.last { Double($0) < value - 1e-9 } ?? grid[0]
    let upper = grid.first { Double($0) > value + 1e-9 } ?? grid[grid.count - 1]
    return lower...upper
}

struct SweepKneeTests {
    static let grid = [1, 2, 4, 8, 16, 32, 64]
    /// (latency s, limit req/s): workers* = 4, 12, 30.
    static let servers: [(Double, Double)] = [(0.2, 20), (0.3, 40), (0.3, 100)]

    @Test("recommendation within one grid step of workers*, plateau within 3% of the limit", arguments: servers)
    func groundTruthCoarse(latency: Double, limit: Double) {
        let server = SyntheticServer(latency: latency, requestLimit: limit)
        let analysis = KneeAnalysis(curve: server.curve(Self.grid), options: KneeOptions())
        #expect(analysis.outcome == .knee)
        let recommended = analysis.recommendedWorkers ?? 0
        #expect(gridNeighbours(of: server.workersStar, in: Self.grid).contains(recommended))
        let plateau = analysis.plateau ?? 0
        #expect(abs(plateau - limit) / limit <= 0.03)
        #expect(analysis.errorKneeAttemptWorkers.map { Double($0) > server.workersStar } ?? false)
    }

    @Test("after refinement the recommendation is within 15% of workers*", arguments: servers)
    func groundTruthRefined(latency: Double, limit: Double) {
        let server = SyntheticServer(latency: latency, requestLimit: limit)
        let options = KneeOptions()
        let (curve, added) = server.refined(server.curve(Self.grid), options: options, budget: 12)
        #expect(!added.isEmpty)
        #expect(added.allSatisfy { !Self.grid.contains($0) })
        let analysis = KneeAnalysis(curve: curve, options: options)
        let recommended = Double(analysis.recommendedWorkers ?? 0)
        #expect(abs(recommended - server.workersStar) / server.workersStar <= 0.15)
        #expect(abs((analysis.plateau ?? 0) - limit) / limit <= 0.03)
        // Bisection stops on its own: the gaps around the knees are one worker wide.
        #expect(KneeAnalysis.refinementCandidates(for: curve, options: options, budget: 100).isEmpty)
    }

    @Test("with ±3% seeded jitter the ground truth still holds", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func groundTruthWithNoise(seed: UInt64) {
        for (latency, limit) in Self.servers {
            let server = SyntheticServer(latency: latency, requestLimit: limit, jitter: 0.03, seed: seed)
            let options = KneeOptions()
            let coarse = KneeAnalysis(curve: server.curve(Self.grid), options: options)
            #expect(coarse.outcome == .knee, "w*=\(server.workersStar) seed \(seed): \(coarse.reason)")
            #expect(gridNeighbours(of: server.workersStar, in: Self.grid).contains(coarse.recommendedWorkers ?? 0))
            #expect(abs((coarse.plateau ?? 0) - limit) / limit <= 0.03)
            let refined = KneeAnalysis(
                curve: server.refined(server.curve(Self.grid), options: options, budget: 12).curve, options: options)
            let recommended = Double(refined.recommendedWorkers ?? 0)
            #expect(abs(recommended - server.workersStar) / server.workersStar <= 0.15, "seed \(seed)")
        }
    }

    @Test("the refinement budget caps the added points")
    func refinementBudget() {
        let server = SyntheticServer(latency: 0.3, requestLimit: 100)
        let options = KneeOptions()
        #expect(KneeAnalysis.refinementCandidates(for: server.curve(Self.grid), options: options, budget: 0).isEmpty)
        let (_, added) = server.refined(server.curve(Self.grid), options: options, budget: 2)
        #expect(added.count == 2)
        #expect(added.first == 24)  // the midpoint of 16 and 32, the gap holding workers* = 30
    }

    @Test("a token-limited tier: larger batches move the knee as the TPM limit predicts")
    func tokenLimitedBatches() {
        // 600,000 TPM at 100 tokens per prompt = 100 prompts/s whatever the batch size.
        var previous = Int.max
        for batch in [1, 5, 10, 20] {
            let server = SyntheticServer.tokenLimited(
                tpm: 600_000, batchSize: batch, tokensPerPrompt: 100, base: 0.2, perPrompt: 0.01)
            let predicted = 600_000 / 60 / (Double(batch) * 100) * (0.2 + 0.01 * Double(batch))
            #expect(abs(server.workersStar - predicted) < 1e-9)
            let analysis = KneeAnalysis(curve: server.curve(Self.grid), options: KneeOptions())
            let recommended = analysis.recommendedWorkers ?? 0
            #expect(gridNeighbours(of: predicted, in: Self.grid).contains(recommended), "batch \(batch)")
            #expect(recommended <= previous)
            previous = recommended
            let promptsPlateau = (analysis.plateau ?? 0) * Double(batch)
            #expect(abs(promptsPlateau - 100) / 100 <= 0.03, "batch \(batch)")
            let tokensAnalysis = KneeAnalysis(curve: server.curve(Self.grid), options: KneeOptions(goodput: .tokens))
            #expect(abs((tokensAnalysis.plateau ?? 0) - 10_000) / 10_000 <= 0.03)
        }
        #expect(previous < 4)
    }

    @Test("linear growth to the end of the grid: no knee in the grid, none invented", arguments: [0.0, 0.03])
    func noKneeLinear(jitter: Double) {
        // A server with no limit in reach: throughput = workers / latency all the way.
        let server = SyntheticServer(latency: 0.1, requestLimit: 1e9, jitter: jitter, seed: 7)
        let analysis = KneeAnalysis(curve: server.curve(Self.grid), options: KneeOptions())
        #expect(analysis.outcome == .noKneeInGrid)
        #expect(analysis.throughputKneeWorkers == nil)
        #expect(analysis.plateau == nil)
        #expect(analysis.reason.contains("no knee in the grid"))
        #expect(KneeAnalysis.refinementCandidates(for: server.curve(Self.grid), options: KneeOptions(), budget: 8)
            .isEmpty)
    }

    @Test("a knee only at the last grid point is not a knee")
    func kneeAtLastPoint() {
        let server = SyntheticServer(latency: 0.5, requestLimit: 100)  // workers* = 50, between 32 and 64
        let options = KneeOptions()
        let analysis = KneeAnalysis(curve: server.curve(Self.grid), options: options)
        #expect(analysis.outcome == .noKneeInGrid)
        #expect(analysis.recommendedWorkers == 32)
        // The error knee at 64 lets bisection find the real knee between 32 and 64.
        let refined = KneeAnalysis(
            curve: server.refined(server.curve(Self.grid), options: options, budget: 12).curve, options: options)
        #expect(refined.outcome == .knee)
        #expect(abs(Double(refined.recommendedWorkers ?? 0) - 50) / 50 <= 0.15)
    }

    /// A curve whose points counted `successes[i]` successful requests in `window` seconds at `workers[i]`.
    static func countedCurve(workers: [Int], successes: [Int], window: Double) -> SweepCurve {
        let points = zip(workers, successes).map { count, done in
            let rate = Double(done) / window
            return SweepPointResult(
                settings: SweepPoint.Settings(tier: .mock("t"), model: "m", batchSize: 1, maxWorkers: count),
                figures: SweepFigures(
                    requestsPerSecond: rate, successfulRequestsPerSecond: rate, promptsPerSecond: rate,
                    tokensPerSecond: rate * 20, goodputRequestsPerSecond: rate, goodputTokensPerSecond: rate * 20,
                    errorRatePerAttempt: 0, errorRateFinal: 0, rate429: 0, p50Ms: 1000, p95Ms: 1000, p99Ms: 1000,
                    durationSeconds: window))
        }
        return SweepCurve(key: points[0].settings.curveKey, points: points)
    }

    @Test("one request more at the largest setting of a short point is counting, not growth")
    func growthBelowCountingResolution() {
        // The CI failure this guards: a limit of 18 req/s over 0.8 s gives 14 or 15 successes depending on where
        // the window's edges fall; 15 over 14 is +7.1%, above the 5% tolerance, but within two requests.
        let short = Self.countedCurve(workers: [1, 2, 4, 8, 16], successes: [3, 6, 12, 14, 15], window: 0.8)
        let analysis = KneeAnalysis(curve: short, options: KneeOptions())
        #expect(analysis.outcome == .knee, "\(analysis.reason)")
        #expect(analysis.recommendedWorkers == 8)
        #expect(KneeAnalysis.countingResolution(short.points[3].figures) == 2.0 / 14)

        // The same +7.1% over 1,400 requests is well resolved: the curve still grows.
        let long = Self.countedCurve(
            workers: [1, 2, 4, 8, 16], successes: [300, 600, 1200, 1400, 1500], window: 80)
        #expect(KneeAnalysis(curve: long, options: KneeOptions()).outcome == .noKneeInGrid)

        // Three requests more (+21%) exceed both 5% and 2 ÷ 14: that is growth.
        let grown = Self.countedCurve(workers: [1, 2, 4, 8, 16], successes: [3, 6, 12, 14, 17], window: 0.8)
        #expect(KneeAnalysis(curve: grown, options: KneeOptions()).outcome == .noKneeInGrid)
    }

    /// A curve from explicit per-point figures: successful and within-SLO rates, p95, 429 share.
    static func sloCurve(workers: [Int], success: [Double], goodput: [Double], p95: [Double], errors: [Double])
        -> SweepCurve
    {
        let points = workers.indices.map { i in
            SweepPointResult(
                settings: SweepPoint.Settings(tier: .mock("t"), model: "m", batchSize: 1, maxWorkers: workers[i]),
                figures: SweepFigures(
                    requestsPerSecond: success[i] / (1 - errors[i]), successfulRequestsPerSecond: success[i],
                    promptsPerSecond: success[i], tokensPerSecond: success[i] * 20,
                    goodputRequestsPerSecond: goodput[i], goodputTokensPerSecond: goodput[i] * 20,
                    errorRatePerAttempt: errors[i], errorRateFinal: errors[i], rate429: errors[i],
                    p50Ms: p95[i] * 0.9, p95Ms: p95[i], p99Ms: p95[i] * 1.1, durationSeconds: 20))
        }
        return SweepCurve(key: points[0].settings.curveKey, points: points)
    }

    /// Issue 11 item 3: with `slo_p95`, goodput within the SLO collapses past the plateau (queueing pushes every
    /// request over it). That is the plateau of what is attainable, not "growth of −100%" and no reason to go on.
    @Test("goodput within an SLO that falls past the plateau gives the knee at the plateau")
    func sloCollapseIsAPlateau() {
        let curve = Self.sloCurve(
            workers: [1, 2, 4, 8, 16], success: [10, 20, 40, 80, 80], goodput: [10, 20, 40, 80, 0],
            p95: [100, 100, 100, 100, 200], errors: [0, 0, 0, 0, 0])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions(sloP95Ms: 150))
        #expect(analysis.outcome == .knee, "\(analysis.reason)")
        #expect(analysis.recommendedWorkers == 8)
        #expect(analysis.latencyKneeWorkers == 16)
        #expect(analysis.plateau == 80)
        #expect(!analysis.reason.contains("-"), "\(analysis.reason)")
        #expect(KneeAnalysis.attainable([1, 5, 3, .nan, 7]) == [1, 5, 5, 5, 7])
    }

    /// The recommendation is the best setting measured below the limits, not merely the largest one: goodput
    /// 40, 80, 60 and an error knee at the fourth setting recommend the second (80), not the third (60).
    @Test("below the limits the best measured setting is recommended")
    func bestMeasuredBelowTheLimits() {
        let curve = Self.sloCurve(
            workers: [1, 2, 4, 8], success: [40, 80, 60, 100], goodput: [40, 80, 60, 100],
            p95: [100, 100, 100, 100], errors: [0, 0, 0, 0.5])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions())
        #expect(analysis.recommendedWorkers == 2, "\(analysis.outcome) \(analysis.reason)")
        #expect(KneeAnalysis.bestMeasured([40, 80, 60, 100], below: 3) == 1)
    }

    /// Advice never contradicts itself: a curve still growing at 64 workers whose error rate passes the threshold
    /// there is not told to "extend max_workers".
    @Test("still growing but past the error threshold: no advice to extend the grid")
    func noExtendAdvicePastTheErrorKnee() {
        let curve = Self.sloCurve(
            workers: [8, 16, 32, 64], success: [8, 16, 32, 64], goodput: [8, 16, 32, 64],
            p95: [100, 100, 100, 100], errors: [0, 0, 0, 0.936])
        let analysis = KneeAnalysis(curve: curve, options: KneeOptions())
        #expect(analysis.outcome == .noKneeInGrid)
        #expect(analysis.recommendedWorkers == 32)
        #expect(!analysis.reason.contains("extend max_workers"), "\(analysis.reason)")
        #expect(analysis.reason.contains("use 32"), "\(analysis.reason)")
    }
}
