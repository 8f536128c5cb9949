import Foundation
import TierbenchCore

/// `tierbench export alerts SCENARIO`: the scenario's `alerts:` as a Prometheus rule file plus a `promtool test
/// rules` file (docs/monitoring.md).
public enum ExportAlerts {
    /// What was written.
    public struct Outcome: Sendable {
        public var ruleFile: String
        public var testFile: String
        public var alerts: Int
        /// What to tell the user about alerts that export only approximately (`PrometheusAlertRules.warnings`).
        public var warnings: [String]
    }

    /// Reads the scenario at `scenarioPath`, translates its alerts and writes `tierbench-<name>.rules.yml` and
    /// `tierbench-<name>.rules.test.yml` into `directory` (created if missing).
    /// - Throws: `EngineError.cannotRead`/`.invalidScenario` for the scenario (every alert that cannot be expressed
    ///   is named with its metric), `.cannotWrite` for the directory.
    public static func run(scenarioPath: String, directory: String) throws(EngineError) -> Outcome {
        let text = try ScenarioFile.readText(scenarioPath)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.parse(text: text, fileName: scenarioPath)
        } catch {
            throw EngineError.invalidScenario(error.description)
        }
        let rules: PrometheusAlertRules
        do {
            rules = try PrometheusAlertRules(scenario: scenario.name, rules: scenario.alerts)
        } catch {
            throw EngineError.invalidScenario("\(scenarioPath): \(error.description)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotWrite(path: directory, reason: "cannot create the directory (\(error))")
        }
        let base = "tierbench-" + fileSafe(scenario.name)
        let ruleName = base + ".rules.yml"
        let testName = base + ".rules.test.yml"
        let rulePath = (directory as NSString).appendingPathComponent(ruleName)
        let testPath = (directory as NSString).appendingPathComponent(testName)
        try ResultWriter.writeAtomically(Data(rules.ruleFile.utf8), to: rulePath)
        try ResultWriter.writeAtomically(
            Data(PromtoolRuleTest.file(for: rules, ruleFile: ruleName).utf8), to: testPath)
        return Outcome(ruleFile: rulePath, testFile: testPath, alerts: rules.alerts.count, warnings: rules.warnings)
    }

    /// The scenario name with anything but letters, digits, `.`, `_` and `-` replaced by `-`.
    static func fileSafe(_ name: String) -> String {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return safe.isEmpty || safe.hasPrefix(".") ? "scenario" + safe : safe
    }
}
