import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench export alerts` and `export grafana` through the engine: files written, errors naming the file, the
/// alert and the metric.
@Suite struct ExportTests {
    @Test func alertsExportWritesTheRuleAndTestFiles() throws {
        let scenario = try TestScenario("""
            version: 1
            name: chat.prod
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, requests: 10 }
            alerts:
              - { when: "error_rate > 5%", for: 10s, action: abort }
              - { when: "latency_ms.p95 > 2s", for: 30s }
              - { when: "rate_limited_per_s > 1" }
            """)
        defer { scenario.cleanup() }
        let outcome = try ExportAlerts.run(scenarioPath: scenario.path, directory: scenario.directory + "/rules")
        #expect(outcome.alerts == 3)
        #expect(outcome.ruleFile == scenario.directory + "/rules/tierbench-chat.prod.rules.yml")
        let rules = try String(contentsOfFile: outcome.ruleFile, encoding: .utf8)
        let tests = try String(contentsOfFile: outcome.testFile, encoding: .utf8)
        #expect(rules.contains("  - name: \"tierbench-chat.prod\""))
        #expect(rules.components(separatedBy: "      - alert: ").count - 1 == 3)
        #expect(tests.contains("  - \"tierbench-chat.prod.rules.yml\""))
        // Per alert a firing and a quiet test, plus a "still pending" check for each of the two with a for:.
        #expect(tests.components(separatedBy: "alertname: ").count - 1 == 8)
    }

    @Test func alertsExportNamesTheFileAlertAndMetric() throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, requests: 10 }
            alerts:
              - { when: "error_rate == 0.2" }
            """)
        defer { scenario.cleanup() }
        let error = #expect(throws: EngineError.self) {
            _ = try ExportAlerts.run(scenarioPath: scenario.path, directory: scenario.directory)
        }
        let text = error?.description ?? ""
        #expect(text.contains(scenario.path) && text.contains("alerts[0]") && text.contains("error_rate"), "\(text)")
        #expect(error?.exitCode == ExitCodes.scenarioError)
    }

    @Test func grafanaExportIsJSONWithTheScenarioPreselected() throws {
        let scenario = try TestScenario("version: 1\n")
        defer { scenario.cleanup() }
        let path = scenario.directory + "/dashboard.json"
        let text = try ExportGrafana.run(scenario: "chat", output: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == GrafanaDashboard.schemaVersion)
        // Grafana 10.4's schema, importable from Grafana 10.4 on (docs/monitoring.md).
        #expect(object["schemaVersion"] as? Int == 39)
        #expect((object["panels"] as? [Any])?.count == GrafanaDashboard.panels().count)
    }
}
