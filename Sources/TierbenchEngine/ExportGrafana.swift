import Foundation
import TierbenchCore

/// `tierbench export grafana`: the Grafana dashboard for the harness's `--metrics-port` series (docs/monitoring.md).
public enum ExportGrafana {
    /// Builds the dashboard (preselecting `scenario` when given) as indented JSON; writes it to `output` when given
    /// (temporary file + rename) and returns the text.
    /// - Throws: `EngineError.cannotWrite` naming `output`.
    @discardableResult
    public static func run(scenario: String?, output: String?) throws(EngineError) -> String {
        let dashboard = GrafanaDashboard.build(scenario: scenario)
        var text = dashboard.jsonText
        if let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            let prettyText = String(data: pretty, encoding: .utf8)
        {
            text = prettyText
        }
        text += "\n"
        if let output { try ResultWriter.writeAtomically(Data(text.utf8), to: output) }
        return text
    }
}
