import Testing

@testable import TierbenchCore

struct GateThresholdTests {
    @Test(arguments: [
        ("latency_ms.p95 < 800", "latency_ms.p95", ThresholdOperator.lessThan, 800.0),
        ("latency_ms.p95<=800", "latency_ms.p95", .lessThanOrEqual, 800),
        ("throughput.requests_per_s > 50", "throughput.requests_per_s", .greaterThan, 50),
        ("throughput.requests_per_s >= 1e2", "throughput.requests_per_s", .greaterThanOrEqual, 100),
        ("status_counts.429 == 0", "status_counts.429", .equal, 0),
        ("errors.http_429 != 3", "errors.http_429", .notEqual, 3),
        ("recommendation.tier2.max_workers >= 8", "recommendation.tier2.max_workers", .greaterThanOrEqual, 8),
        ("requests.total > 1_000", "requests.total", .greaterThan, 1000),
        ("  error_rate   <=   0.01  ", "error_rate", .lessThanOrEqual, 0.01),
    ])
    func parsesMetricOperatorAndNumber(text: String, metric: String, op: ThresholdOperator, limit: Double) throws {
        let threshold = try Threshold.parse(text)
        #expect(threshold.metric == metric)
        #expect(threshold.comparison == op)
        #expect(threshold.limit == limit)
    }

    @Test(arguments: [
        ("latency_ms.p95 < 800ms", 800.0),
        ("latency_ms.p95 < 1s", 1000),
        ("latency_ms.p99 < 1.5s", 1500),
        ("latency_ms.p50 < 250us", 0.25),
        ("ttft_ms.p95 < 2 s", 2000),
        ("duration_s < 2m", 120),
        ("error_rate <= 1%", 0.01),
        ("error_rate < 0.5 %", 0.005),
    ])
    func convertsUnits(text: String, limit: Double) throws {
        let threshold = try Threshold.parse(text)
        #expect(abs(threshold.limit - limit) < 1e-12)
    }

    @Test func durationUnitOnACountIsRejected() {
        #expect {
            try Threshold.parse("requests.failed < 10ms")
        } throws: { error in
            guard case ThresholdError.unitNotApplicable(_, "ms", "requests.failed", _) = error else { return false }
            return "\(error)".contains("write a plain number")
        }
    }

    @Test func percentOnALatencyIsRejected() {
        #expect(throws: ThresholdError.self) { try Threshold.parse("latency_ms.p95 < 5%") }
    }

    @Test func unknownUnitIsRejected() {
        #expect(throws: ThresholdError.unknownUnit(expression: "latency_ms.p95 < 3 fortnights", unit: "fortnights")) {
            try Threshold.parse("latency_ms.p95 < 3 fortnights")
        }
    }

    @Test func singleEqualsSuggestsDoubleEquals() {
        #expect {
            try Threshold.parse("error_rate = 0")
        } throws: { error in
            "\(error)".contains("did you mean '=='?")
        }
    }

    @Test(arguments: ["", "   ", "latency_ms.p95 800", "latency_ms.p95 <", "< 800", "latency ms < 800",
                      "latency_ms..p95 < 1", "error_rate < abc", "error_rate < 1.2.3"])
    func malformedExpressionsThrow(text: String) {
        #expect(throws: ThresholdError.self) { try Threshold.parse(text) }
    }

    @Test func errorMessagesQuoteTheExpressionAndTheGrammar() {
        let message = ThresholdError.missingOperator(expression: "latency_ms.p95 800").description
        #expect(message.contains("\"latency_ms.p95 800\""))
        #expect(message.contains("< <= > >= == !="))
    }

    @Test func expressionIsKeptForReports() throws {
        #expect(try Threshold.parse("latency_ms.p95 < 800ms").description == "latency_ms.p95 < 800ms")
    }
}
