import Testing

@testable import TierbenchCore

/// Issue 11 item 11: a comparison gates on headline figures only, with an absolute floor per unit, counts each
/// change once, refuses to compare unlike results and never reads `10` as 1000%.
@Suite struct GateNoiseTests {
    static func run(
        name: String = "s", p50: Double = 20, p95: Double = 30, stddev: Double = 5, dns: Double = 0.012,
        succeeded: Double = 50, attempted: Double = 50, errorRate: Double = 0, retriesP95: Double? = nil
    ) -> JSONValue {
        let retries = retriesP95.map { #", "retries": {"request_latency_ms": {"p95": \#($0)}}"# } ?? ""
        return GateFixtures.decode("""
            {"scenario": {"name": "\(name)"}, "requests": {"total": 1000, "succeeded": 1000, "failed": 0},
             "error_rate": \(errorRate),
             "throughput": {"requests_per_s": \(attempted), "succeeded_per_s": \(succeeded)},
             "latency_ms": {"p50": \(p50), "p95": \(p95), "mean": 22, "stddev": \(stddev)},
             "response_time_ms": {"p95": \(p95)},
             "timings_ms": {"dns": \(dns)}\(retries)}
            """)
    }

    @Test func toleranceWithoutAPercentSignAboveOneIsRefused() {
        #expect(Comparison.parseTolerance("10") == nil)
        #expect(Comparison.parseTolerance("1.5") == nil)
        #expect(Comparison.parseTolerance("10%") == 0.1)
        #expect(Comparison.parseTolerance("0.1") == 0.1)
        #expect(Comparison.parseTolerance("1") == 1)
    }

    @Test func figuresBesideTheHeadlineAreInformational() {
        let report = Comparison.compare(
            base: Self.run(stddev: 5, dns: 0.012), new: Self.run(stddev: 5.63, dns: 0.015), tolerance: 0.1)
        #expect(!report.hasRegression, "\(report.regressions.map(\.metric))")
        for path in ["latency_ms.stddev", "timings_ms.dns", "latency_ms.mean"] {
            #expect(report.metrics.first { $0.metric == path }?.verdict == .informational, "\(path)")
        }
        // Named with --gate-metric, a figure is gated again.
        let named = Comparison.compare(
            base: Self.run(stddev: 5), new: Self.run(stddev: 7), tolerance: 0.1, gated: ["latency_ms.stddev"])
        #expect(named.regressions.map(\.metric) == ["latency_ms.stddev"])
    }

    @Test func changesBelowTheUnitsFloorAreNotRegressions() {
        // p50 4 → 4.8 ms is +20% but under 1 ms: noise at the histograms' and the scheduler's resolution.
        let small = Comparison.compare(base: Self.run(p50: 4), new: Self.run(p50: 4.8), tolerance: 0.1)
        #expect(!small.hasRegression)
        // An error rate of 0 → 0.002 (2 failures in 1,000) is under the 0.5-point floor.
        let errors = Comparison.compare(base: Self.run(errorRate: 0), new: Self.run(errorRate: 0.002), tolerance: 0.1)
        #expect(!errors.hasRegression)
        // A real change still regresses: p95 30 → 40 ms, and an error rate of 0 → 2%.
        #expect(Comparison.compare(base: Self.run(p95: 30), new: Self.run(p95: 40), tolerance: 0.1)
            .regressions.map(\.metric) == ["latency_ms.p95"])
        #expect(Comparison.compare(base: Self.run(errorRate: 0), new: Self.run(errorRate: 0.02), tolerance: 0.1)
            .regressions.map(\.metric) == ["error_rate"])
    }

    @Test func oneChangeIsCountedOnce() {
        // The same p95 appears as latency, response time and retried-request latency: one regression.
        let report = Comparison.compare(
            base: Self.run(p95: 30, retriesP95: 30), new: Self.run(p95: 45, retriesP95: 45), tolerance: 0.1)
        #expect(report.regressions.map(\.metric) == ["latency_ms.p95"])
    }

    @Test func fewerInstant429sPastTheKneeAreNotARegression() {
        // Attempts per second fall (fewer instant 429s) while successes hold: not a throughput regression.
        let report = Comparison.compare(
            base: Self.run(succeeded: 50, attempted: 400), new: Self.run(succeeded: 50, attempted: 120), tolerance: 0.1)
        #expect(!report.hasRegression, "\(report.regressions.map(\.metric))")
        let slower = Comparison.compare(base: Self.run(succeeded: 50), new: Self.run(succeeded: 40), tolerance: 0.1)
        #expect(slower.regressions.map(\.metric) == ["throughput.succeeded_per_s"])
    }

    @Test func unlikeResultsAreRefused() {
        func sweep(_ name: String) -> JSONValue {
            GateFixtures.decode("""
                {"points": [{"settings": {"tier": "t", "model": "m", "batch_size": 1, "max_workers": 4},
                             "figures": {"p95_ms": 30}, "run_summaries": [{"scenario": {"name": "\(name)"}}]}]}
                """)
        }
        #expect(Comparison.mismatch(base: Self.run(), new: sweep("s"))?.contains("a run with a run") == true)
        #expect(Comparison.mismatch(base: sweep("a"), new: sweep("b"))?.contains("different scenarios") == true)
        #expect(Comparison.mismatch(base: sweep("a"), new: sweep("a")) == nil)
        #expect(Comparison.mismatch(base: Self.run(name: "a"), new: Self.run(name: "b"))?.contains("different scenarios")
            == true)
        #expect(Comparison.mismatch(base: Self.run(), new: Self.run()) == nil)
        #expect(Comparison.mismatch(base: GateFixtures.decode(#"{"x": 1}"#), new: GateFixtures.decode(#"{"x": 2}"#))
            != nil)
    }
}

extension GateNoiseTests {
    @Test func aNamedCounterIsGatedAndAnUnknownNameIsRefused() {
        let base = GateFixtures.summary(status429: 0)
        let new = GateFixtures.summary(status429: 40)
        #expect(!Comparison.compare(base: base, new: new, tolerance: 0.1).hasRegression)
        let named = Comparison.compare(base: base, new: new, tolerance: 0.1, gated: ["status_counts.429"])
        #expect(named.regressions.map(\.metric) == ["status_counts.429"])
        #expect(Comparison.mismatch(base: base, new: new, gated: ["latency_ms.p99.9"])?.contains("names no metric")
            == true)
    }
}

/// Review follow-up: N load threads sharing a throttle send evenly spaced, not N at a time.
@Suite struct ThrottlePhaseTests {
    @Test func threadsSharingABudgetAreStaggered() {
        var first = ClientThrottle(requestsPerMinute: 300, tokensPerMinute: nil, phase: 0, now: 0)
        var second = ClientThrottle(requestsPerMinute: 300, tokensPerMinute: nil, phase: 0.5, now: 0)
        #expect(first.admit(tokenCost: 0, now: 0) == 0)
        // The second thread's first request waits half of its 200 ms interval: sends at 0, 100, 200, 300 ms …
        #expect(second.admit(tokenCost: 0, now: 0) == 100_000_000)
        #expect(second.admit(tokenCost: 0, now: 100_000_000) == 0)
        #expect(first.admit(tokenCost: 0, now: 200_000_000) == 0)
    }
}
