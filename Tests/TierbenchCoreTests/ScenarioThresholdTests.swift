import Foundation
import Testing

@testable import TierbenchCore

@Suite("scenario thresholds:, abort_on_fail and fail_on_generator_bottleneck")
struct ScenarioThresholdTests {
    private func parse(_ extra: String) throws -> Scenario {
        try ScenarioLoader.parse(text: ScenarioTestSupport.minimal(extra), fileName: "gate.yaml")
    }

    @Test func stringsAndMappingsParseWithTheirAbortFlags() throws {
        let scenario = try parse("""
            thresholds:
              - "latency_ms.p95 < 800ms"
              - { expr: "requests.failed < 10", abort_on_fail: true }
              - "recommendation.tier1.max_workers >= 8"
            fail_on_generator_bottleneck: true
            """)
        #expect(scenario.thresholds.map(\.threshold.expression)
            == ["latency_ms.p95 < 800ms", "requests.failed < 10", "recommendation.tier1.max_workers >= 8"])
        #expect(scenario.thresholds.map(\.abortOnFail) == [false, true, false])
        #expect(scenario.thresholds[0].threshold.limit == 800)
        #expect(scenario.thresholds.map(\.appliesToSweep) == [false, false, true])
        #expect(scenario.failOnGeneratorBottleneck)
    }

    @Test func topLevelAbortOnFailIsTheDefaultForStrings() throws {
        let scenario = try parse("""
            thresholds: ["error_rate <= 1%", { expr: "requests.failed < 3", abort_on_fail: false }]
            abort_on_fail: true
            """)
        #expect(scenario.thresholds.map(\.abortOnFail) == [true, false])
    }

    @Test func defaultsAreNoThresholdsAndNoBottleneckGate() throws {
        let scenario = try parse("")
        #expect(scenario.thresholds.isEmpty)
        #expect(!scenario.failOnGeneratorBottleneck)
        #expect(scenario.canonicalJSON["thresholds"] == nil)
    }

    @Test func badExpressionsAreReportedAtTheirOwnLineWithTheFix() {
        let errors = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("""
            thresholds:
              - "latency_ms.p95 < 800ms"
              - "error_rate = 0"
              - { expr: "requests.failed < 5ms" }
              - { exp: "error_rate < 1%" }
            """), file: "gate.yaml")
        // Four problems: the operator, the unit, the unknown key `exp` and the then missing `expr`.
        #expect(errors.count == 4)
        let byLine = Dictionary(grouping: errors, by: \.line)
        // minimal() puts two lines before the extra text, so the list starts on line 3.
        let operatorError = try? #require(byLine[5]?.first)
        #expect(operatorError?.keyPath == "thresholds[1]")
        #expect(operatorError?.message.contains("did you mean '=='?") == true)
        let unitError = try? #require(byLine[6]?.first)
        #expect(unitError?.keyPath == "thresholds[2].expr")
        #expect(unitError?.message.contains("does not apply") == true)
        let keyError = try? #require(byLine[7]?.first { $0.keyPath == "thresholds[3].exp" })
        #expect(keyError?.keyPath == "thresholds[3].exp")
        #expect(keyError?.hint.contains("expr") == true)
        #expect(byLine[7]?.contains { $0.keyPath == "thresholds[3].expr" && $0.message == "missing required key" } == true)
        #expect(errors.allSatisfy { $0.description.hasPrefix("gate.yaml:") })
    }

    @Test func notAListAndAbortWithoutThresholdsAreErrors() {
        let notList = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("thresholds: \"latency_ms.p95 < 1\""))
        #expect(notList.first?.keyPath == "thresholds")
        let lonely = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("abort_on_fail: true"))
        #expect(lonely.first?.keyPath == "abort_on_fail")
        let misspelt = ScenarioTestSupport.errors(ScenarioTestSupport.minimal("threshold: []"))
        #expect(misspelt.first?.hint.contains("thresholds") == true)
    }

    @Test func canonicalJSONKeepsThresholdsAndReadsBackEqual() throws {
        let scenario = try parse("""
            thresholds: ["latency_ms.p95 < 1.5s", { expr: "status_counts.429 == 0", abort_on_fail: true }]
            fail_on_generator_bottleneck: true
            """)
        let canonical = scenario.canonicalJSON
        let listed = ScenarioThreshold.list(fromScenarioJSON: canonical)
        #expect(listed == scenario.thresholds)
        #expect(ScenarioThreshold.failsOnGeneratorBottleneck(scenarioJSON: canonical))
        let reread = try ScenarioLoader.parse(text: canonical.jsonText, fileName: "canonical.json")
        #expect(reread.thresholds == scenario.thresholds)
        #expect(reread.failOnGeneratorBottleneck)
        let decoded = try JSONDecoder().decode(Scenario.self, from: JSONEncoder().encode(scenario))
        #expect(decoded.thresholds == scenario.thresholds)
    }
}
