import Testing

@testable import TierbenchCore

struct GateExitCodeTests {
    @Test func documentedValues() {
        let codes = GateExitCode.allCases.map(\.rawValue)
        #expect(codes == [0, 1, 2, 3, 4, 64, 65, 130])
        #expect(Set(codes).count == codes.count)
    }

    @Test func gatesPickTheMostSevereCode() throws {
        let summary = GateFixtures.summary(p95: 480)
        let failing = ThresholdEvaluator.evaluate([try Threshold.parse("latency_ms.p95 < 400")], against: summary)
        let passing = ThresholdEvaluator.evaluate([try Threshold.parse("latency_ms.p95 < 800")], against: summary)
        let regression = Comparison.compare(base: GateFixtures.summary(p95: 400), new: summary, tolerance: 0.1)
        let clean = Comparison.compare(base: summary, new: summary, tolerance: 0.1)
        #expect(GateExitCode.forGates(thresholds: failing, comparison: regression) == .thresholdFailed)
        #expect(GateExitCode.forGates(thresholds: passing, comparison: regression) == .regression)
        #expect(GateExitCode.forGates(thresholds: passing, comparison: clean) == .ok)
        #expect(GateExitCode.forGates(thresholds: [], comparison: nil) == .ok)
    }

    @Test func generatorBottleneckOnlyWhenAsked() {
        let limited = GateFixtures.decode(#"{"generator": {"limited_by_generator": true}}"#)
        #expect(GateExitCode.forGates(thresholds: [], comparison: nil, summary: limited) == .ok)
        #expect(GateExitCode.forGates(
            thresholds: [], comparison: nil, summary: limited, failOnGeneratorBottleneck: true) == .generatorBottleneck)
    }
}
