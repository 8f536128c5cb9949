/// What `tierbench export` cannot do, with every reason.
public enum MonitoringExportError: Error, Sendable, CustomStringConvertible {
    case alerts(scenario: String, problems: [String])

    public var description: String {
        switch self {
        case .alerts(let scenario, let problems):
            return "cannot export the alerts of scenario '\(scenario)' to Prometheus:\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}
