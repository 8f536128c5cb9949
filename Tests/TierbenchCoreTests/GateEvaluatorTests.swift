import Testing

@testable import TierbenchCore

struct GateEvaluatorTests {
    let summary = GateFixtures.summary(p95: 412.5, errorRate: 0.004, requestsPerS: 52.5)

    private func result(_ text: String, in summary: JSONValue? = nil) throws -> ThresholdResult {
        ThresholdEvaluator.evaluate(try Threshold.parse(text), against: summary ?? self.summary)
    }

    /// Each operator once passing and once failing against latency_ms.p95 = 412.5.
    @Test(arguments: [
        ("latency_ms.p95 < 500", true), ("latency_ms.p95 < 412.5", false),
        ("latency_ms.p95 <= 412.5", true), ("latency_ms.p95 <= 400", false),
        ("latency_ms.p95 > 400", true), ("latency_ms.p95 > 412.5", false),
        ("latency_ms.p95 >= 412.5", true), ("latency_ms.p95 >= 413", false),
        ("latency_ms.p95 == 412.5", true), ("latency_ms.p95 == 412", false),
        ("latency_ms.p95 != 412", true), ("latency_ms.p95 != 412.5", false),
    ])
    func eachOperatorPassesAndFails(text: String, passes: Bool) throws {
        let outcome = try result(text)
        #expect(outcome.passed == passes)
        #expect(outcome.status == (passes ? .passed : .failed))
        #expect(outcome.actual == 412.5)
    }

    @Test func unitsAndPercentCompareInTheMetricsUnit() throws {
        #expect(try result("latency_ms.p95 < 0.5s").passed)
        #expect(try result("latency_ms.p95 < 400ms").passed == false)
        #expect(try result("error_rate <= 1%").passed)
        #expect(try result("error_rate < 0.1%").passed == false)
    }

    @Test func failureMessageShowsActualAndLimitWithUnits() throws {
        let outcome = try result("latency_ms.p95 < 400ms")
        #expect(outcome.message == "latency_ms.p95 = 412.5 ms, is not < 400 ms")
    }

    @Test func missingStatusCodeCountsAsZero() throws {
        let noLimits = GateFixtures.summary(status429: nil)
        let outcome = try result("status_counts.429 < 1", in: noLimits)
        #expect(outcome.passed)
        #expect(outcome.actual == 0)
        #expect(try result("errors.connection_refused == 0").passed)
    }

    @Test func latencyWithoutSuccessesHasNoSamplesAndFails() throws {
        let allFailed = GateFixtures.summary(total: 10, failed: 10, succeeded: 0)
        let outcome = try result("latency_ms.p95 < 800", in: allFailed)
        #expect(outcome.status == .noSamples)
        #expect(!outcome.passed)
        #expect(outcome.message.contains("no samples"))
    }

    @Test func errorRateOfAnEmptyRunHasNoSamples() throws {
        let empty = GateFixtures.summary(errorRate: 0, total: 0, failed: 0)
        let outcome = try result("error_rate < 1%", in: empty)
        #expect(outcome.status == .noSamples)
    }

    @Test func nullMetricHasNoSamples() throws {
        let sweep = GateFixtures.decode(#"{"recommendation": {"tier2": {"max_workers": null}}}"#)
        let outcome = try result("recommendation.tier2.max_workers >= 4", in: sweep)
        #expect(outcome.status == .noSamples)
        #expect(!outcome.passed)
    }

    @Test func realEmptyRunSummaryFailsLatencyThresholds() throws {
        let json = try GateFixtures.runSummary(count: 0, failures: 0).summaryJSON()
        let outcome = try result("latency_ms.p95 < 800", in: json)
        #expect(outcome.status == .noSamples)
    }

    @Test func realRunSummaryIsGated() throws {
        let json = try GateFixtures.runSummary(count: 100, failures: 5).summaryJSON()
        #expect(try result("requests.failed <= 5", in: json).passed)
        #expect(try result("error_rate < 1%", in: json).passed == false)
        #expect(try result("status_counts.429 == 5", in: json).passed)
        #expect(try result("latency_ms.max < 200ms", in: json).passed)
    }

    @Test func unknownPathFailsWithDidYouMean() throws {
        let outcome = try result("latency_ms.p59 < 800")
        #expect(outcome.status == .unknownMetric)
        #expect(!outcome.passed)
        #expect(outcome.message.contains("did you mean 'latency_ms.p95'?") || outcome.message.contains("did you mean 'latency_ms.p50'?"))
        let typo = try result("throughput.request_per_s > 1")
        #expect(typo.message.contains("did you mean 'throughput.requests_per_s'?"))
    }

    @Test func unknownPathWithoutCloseMatchListsSiblings() throws {
        let outcome = try result("latency_ms.quantile_ninety < 800")
        #expect(outcome.status == .unknownMetric)
        #expect(outcome.message.contains("latency_ms has:"))
    }

    @Test func evaluatesAListInOrder() throws {
        let thresholds = try ["latency_ms.p95 < 800", "error_rate <= 0.001", "throughput.requests_per_s > 50"]
            .map { try Threshold.parse($0) }
        let results = ThresholdEvaluator.evaluate(thresholds, against: summary)
        #expect(results.map(\.passed) == [true, false, true])
        #expect(!results.allPassed)
        #expect(results.failures.map(\.threshold.metric) == ["error_rate"])
    }
}
