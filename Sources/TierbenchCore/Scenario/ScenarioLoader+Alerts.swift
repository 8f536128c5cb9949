import Foundation
import Yams

extension ScenarioLoader {
    static let alertKeys = ["when", "for", "action"]

    /// Reads `alerts:`, a list of `{ when: EXPRESSION, for: DURATION, action: warn | abort }`.
    static func readAlerts(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> [AlertRule] {
        guard let node = top["alerts"],
            let items = reader.sequence(node, "alerts", expecting: "a list such as [{ when: \"error_rate > 5%\", for: 10s }]")
        else { return [] }
        var rules: [AlertRule] = []
        for (index, item) in items.enumerated() {
            let path = "alerts[\(index)]"
            guard let alert = reader.mapping(item, path, keys: alertKeys) else { continue }
            guard let whenNode = alert["when"] else {
                reader.missing(alert, "when", hint: "add when: \"error_rate > 5%\" (metrics: docs/scenarios.md#alerts)")
                continue
            }
            guard let condition = readAlertCondition(whenNode, alert.path("when"), reader: reader) else { continue }
            var rule = AlertRule(condition: condition)
            if let node = alert["for"], let value = reader.duration(node, alert.path("for"), positive: false) {
                rule.sustain = value
            }
            if let node = alert["action"],
                let value = reader.choice(node, alert.path("action"), allowed: AlertRule.Action.allCases.map(\.rawValue)),
                let action = AlertRule.Action(rawValue: value)
            {
                rule.action = action
            }
            rules.append(rule)
        }
        return rules
    }

    private static func readAlertCondition(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> Threshold? {
        guard let text = reader.string(node, path) else { return nil }
        // Name the metric first: an unknown one gets a did-you-mean rather than a complaint about its unit.
        let metric = text.prefix { !"<>=!".contains($0) }.trimmingCharacters(in: .whitespaces)
        guard metric.isEmpty || AlertRule.metrics.contains(metric) else {
            reader.report(node, path, "'\(metric)' is not a live metric",
                          hint: KeySuggestion.hint(for: metric, among: AlertRule.metrics))
            return nil
        }
        let condition: Threshold
        do {
            condition = try Threshold.parse(text)
        } catch {
            reader.report(node, path, error.description, hint: "write e.g. \"error_rate > 5%\" or \"latency_ms.p95 > 2s\"")
            return nil
        }
        return condition
    }
}
