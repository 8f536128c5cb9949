import Testing

@testable import TierbenchCore

struct GateComparisonTests {
    /// Five summaries of one configuration: p95 ~ N(p95, 4%), throughput ~ N(rps, 3%), a few errors; each
    /// run gets its own stream of a seeded generator, so the noise is realistic but the test deterministic.
    private func runs(count: Int = 5, p95: Double, rps: Double, seed: UInt64) -> [JSONValue] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let failed = Int(random.nextUnit() * 6)
            return GateFixtures.summary(
                p95: (p95 * (1 + 0.04 * random.nextGaussian()) * 10).rounded() / 10,
                errorRate: Double(failed) / 1000,
                requestsPerS: (rps * (1 + 0.03 * random.nextGaussian()) * 100).rounded() / 100,
                total: 1000, failed: failed)
        }
    }

    @Test func flagsATwentyPercentLatencyRegression() throws {
        let base = GateFixtures.summary(p95: 400)
        let new = GateFixtures.summary(p95: 480)
        let report = Comparison.compare(base: base, new: new, tolerance: 0.10)
        #expect(report.hasRegression)
        let p95 = try #require(report.metrics.first { $0.metric == "latency_ms.p95" })
        #expect(p95.verdict == .regression)
        #expect(p95.direction == .lowerIsBetter)
        #expect(abs((p95.relativeChange ?? 0) - 0.2) < 1e-12)
        #expect(report.regressions.map(\.metric) == ["latency_ms.p95"])
    }

    @Test func identicalSummariesDoNotRegress() {
        let report = Comparison.compare(base: GateFixtures.summary(), new: GateFixtures.summary(), tolerance: 0.1)
        #expect(!report.hasRegression)
        #expect(report.metrics.allSatisfy { $0.verdict == .unchanged || $0.verdict == .informational })
    }

    @Test func directionDecidesWhatIsWorse() throws {
        let base = GateFixtures.summary(requestsPerS: 50)
        let slower = Comparison.compare(base: base, new: GateFixtures.summary(requestsPerS: 40), tolerance: 0.1)
        #expect(slower.metrics.first { $0.metric == "throughput.succeeded_per_s" }?.verdict == .regression)
        let faster = Comparison.compare(base: base, new: GateFixtures.summary(requestsPerS: 60), tolerance: 0.1)
        #expect(faster.metrics.first { $0.metric == "throughput.succeeded_per_s" }?.verdict == .improvement)
        #expect(!faster.hasRegression)
        let within = Comparison.compare(base: base, new: GateFixtures.summary(requestsPerS: 47), tolerance: 0.1)
        #expect(within.metrics.first { $0.metric == "throughput.succeeded_per_s" }?.verdict == .unchanged)
    }

    @Test func countersAreInformationalNotGated() throws {
        let report = Comparison.compare(
            base: GateFixtures.summary(total: 1000, failed: 4), new: GateFixtures.summary(total: 2000, failed: 8),
            tolerance: 0.1)
        #expect(report.metrics.first { $0.metric == "requests.failed" }?.verdict == .informational)
        #expect(report.metrics.first { $0.metric == "requests.total" }?.verdict == .informational)
        #expect(!report.hasRegression)
    }

    @Test func errorRateFromZeroUsesAnAbsoluteFloor() {
        let base = GateFixtures.summary(errorRate: 0)
        let tiny = Comparison.compare(base: base, new: GateFixtures.summary(errorRate: 0.0005), tolerance: 0.1)
        #expect(tiny.metrics.first { $0.metric == "error_rate" }?.verdict == .unchanged)
        let real = Comparison.compare(base: base, new: GateFixtures.summary(errorRate: 0.05), tolerance: 0.1)
        #expect(real.metrics.first { $0.metric == "error_rate" }?.verdict == .regression)
    }

    @Test func doesNotFlagTwoSetsOfFiveRunsOfTheSameConfiguration() throws {
        let base = JSONValue.array(runs(p95: 400, rps: 50, seed: 1))
        let new = JSONValue.array(runs(p95: 400, rps: 50, seed: 2))
        let report = Comparison.compare(base: base, new: new, tolerance: 0.02)
        #expect(report.baseRuns == 5 && report.newRuns == 5)
        #expect(!report.hasRegression)
        let p95 = try #require(report.metrics.first { $0.metric == "latency_ms.p95" })
        #expect(p95.pValue != nil)
        #expect(p95.interval != nil)
        #expect(p95.verdict == .noSignificantChange || p95.verdict == .unchanged)
        // Noise this size would exceed a 2% tolerance if the runs were compared one to one.
        let naive = Comparison.compare(base: runs(p95: 400, rps: 50, seed: 1)[0],
                                       new: runs(p95: 400, rps: 50, seed: 2)[0], tolerance: 0.02)
        #expect(naive.metrics.contains { $0.verdict == .regression || $0.verdict == .improvement })
    }

    @Test func sameConfigurationIsRarelyFlaggedAcrossManySeeds() {
        var flagged = 0
        for seed in stride(from: UInt64(100), to: 140, by: 2) {
            let report = Comparison.compare(
                base: .array(runs(p95: 400, rps: 50, seed: seed)), new: .array(runs(p95: 400, rps: 50, seed: seed + 1)),
                tolerance: 0.02)
            if report.hasRegression { flagged += 1 }
        }
        // Two noisy metrics at α = 0.05, and a regression also needs a median shift beyond the tolerance.
        #expect(flagged <= 3)
    }

    @Test func flagsATwentyPercentRegressionAcrossRepeatedRuns() throws {
        let base = JSONValue.array(runs(p95: 400, rps: 50, seed: 3))
        let new = JSONValue.array(runs(p95: 480, rps: 50, seed: 4))
        let report = Comparison.compare(base: base, new: new, tolerance: 0.10)
        let p95 = try #require(report.metrics.first { $0.metric == "latency_ms.p95" })
        #expect(p95.verdict == .regression)
        #expect((p95.pValue ?? 1) < 0.05)
        #expect(report.hasRegression)
        #expect(p95.note.contains("Mann-Whitney"))
    }

    @Test func tooFewRunsFallBackToTheTolerance() throws {
        let report = Comparison.compare(
            base: .array(runs(count: 2, p95: 400, rps: 50, seed: 5)), new: .array(runs(count: 2, p95: 600, rps: 50, seed: 6)),
            tolerance: 0.10)
        let p95 = try #require(report.metrics.first { $0.metric == "latency_ms.p95" })
        #expect(p95.verdict == .regression)
        #expect(p95.note.contains("cannot reach"))
    }

    @Test func comparesSweepsPointByPoint() throws {
        let base = SampleReports.sweep()
        var new = base
        if case .array(var points)? = new["points"], var figures = points[3]["figures"] {
            figures.set("p95_ms", .double(5_000))
            points[3].set("figures", figures)
            new.set("points", .array(points))
        }
        let report = Comparison.compare(base: base, new: new, tolerance: 0.1)
        #expect(report.regressions.map(\.metric) == ["tier1/b1/w8.p95_ms"])
        #expect(report.metrics.contains { $0.metric == "recommendation.tier1.max_workers" })
        #expect(!Comparison.compare(base: base, new: base, tolerance: 0.1).hasRegression)
    }

    @Test func parsesTolerances() {
        #expect(Comparison.parseTolerance("10%") == 0.1)
        #expect(Comparison.parseTolerance(" 5 % ") == 0.05)
        #expect(Comparison.parseTolerance("0.2") == 0.2)
        #expect(Comparison.parseTolerance("-1%") == nil)
        #expect(Comparison.parseTolerance("ten") == nil)
    }

    @Test func headlineCountsVerdicts() {
        let report = Comparison.compare(
            base: GateFixtures.summary(p95: 400), new: GateFixtures.summary(p95: 480), tolerance: 0.1)
        #expect(report.headline.hasPrefix("1 regression, 0 improvements"))
        #expect(report.headline.contains("tolerance 10%"))
    }
}
