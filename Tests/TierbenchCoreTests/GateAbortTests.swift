import Testing

@testable import TierbenchCore

struct GateAbortTests {
    private func live(total: Int, failed: Int, p95: Double = 300) -> JSONValue {
        GateFixtures.summary(
            p95: p95, errorRate: total > 0 ? Double(failed) / Double(total) : 0, total: total, failed: failed)
    }

    @Test func countersAreMonotonic() {
        #expect(MetricTraits.of(path: "requests.failed").growth == .nonDecreasing)
        #expect(MetricTraits.of(path: "status_counts.429").growth == .nonDecreasing)
        #expect(MetricTraits.of(path: "errors.http_429").growth == .nonDecreasing)
        #expect(MetricTraits.of(path: "latency_ms.p95").growth == .unbounded)
        #expect(MetricTraits.of(path: "error_rate").growth == .unbounded)
    }

    @Test func failedCounterAbortsOnceTheLimitIsReached() throws {
        let threshold = try Threshold.parse("requests.failed < 10")
        #expect(ThresholdEvaluator.canStillPass(threshold, liveValue: 9, growth: .nonDecreasing))
        #expect(!ThresholdEvaluator.canStillPass(threshold, liveValue: 10, growth: .nonDecreasing))
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 50, failed: 9)))
        #expect(!ThresholdEvaluator.canStillPass(threshold, live: live(total: 50, failed: 10)))
    }

    @Test func growingCounterCanStillReachALowerBound() throws {
        let threshold = try Threshold.parse("requests.total >= 500")
        #expect(ThresholdEvaluator.canStillPass(threshold, liveValue: 3, growth: .nonDecreasing))
        let exact = try Threshold.parse("status_counts.429 == 2")
        #expect(ThresholdEvaluator.canStillPass(exact, liveValue: 1, growth: .nonDecreasing))
        #expect(!ThresholdEvaluator.canStillPass(exact, liveValue: 3, growth: .nonDecreasing))
    }

    @Test func percentilesNeverAbortSoundly() throws {
        let threshold = try Threshold.parse("latency_ms.p95 < 100")
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 500, failed: 0, p95: 900)))
        // k6-style heuristic, opt-in, after the minimum number of requests.
        let heuristic = AbortPolicy(minimumRequests: 100, heuristic: true)
        #expect(!ThresholdEvaluator.canStillPass(threshold, live: live(total: 500, failed: 0, p95: 900), policy: heuristic))
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 50, failed: 0, p95: 900), policy: heuristic))
    }

    @Test func errorRateAbortsOnlyWhenThePlannedTotalMakesItCertain() throws {
        let threshold = try Threshold.parse("error_rate <= 1%")
        // 1000 planned: 10 failures allowed. 11 already failed: even if all the rest succeed, 1.1% > 1%.
        #expect(!ThresholdEvaluator.canStillPass(threshold, live: live(total: 100, failed: 11), plannedRequests: 1000))
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 100, failed: 10), plannedRequests: 1000))
        // Duration-bound run: 11% now, but nothing is certain.
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 100, failed: 11)))
        // A lower bound on the error rate that the remaining requests can no longer reach.
        let atLeast = try Threshold.parse("error_rate >= 50%")
        #expect(!ThresholdEvaluator.canStillPass(atLeast, live: live(total: 900, failed: 0), plannedRequests: 1000))
    }

    @Test func minimumRequestsDelaysEveryDecision() throws {
        let threshold = try Threshold.parse("requests.failed < 1")
        let policy = AbortPolicy(minimumRequests: 20)
        #expect(ThresholdEvaluator.canStillPass(threshold, live: live(total: 5, failed: 5), policy: policy))
        #expect(!ThresholdEvaluator.canStillPass(threshold, live: live(total: 20, failed: 5), policy: policy))
    }
}
