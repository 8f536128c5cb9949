import ArgumentParser
import TierbenchCore
import TierbenchEngine

/// `tierbench export …`: monitoring configuration for Grafana and Prometheus (docs/monitoring.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a Grafana dashboard or Prometheus alert rules for the harness's --metrics-port series.",
        subcommands: [ExportGrafanaCommand.self, ExportAlertsCommand.self])
}

/// `tierbench export grafana [--scenario NAME] [--output FILE]`.
struct ExportGrafanaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grafana",
        abstract: "Write an importable Grafana dashboard (JSON) over the tierbench_* series.",
        discussion: """
            The dashboard has a Prometheus datasource variable (DS_PROMETHEUS) and a scenario variable; import it in
            Grafana under Dashboards → New → Import. Without --output the JSON goes to standard output.
            """)

    @Option(help: "Preselect this scenario name in the dashboard's scenario variable (default: all).")
    var scenario: String?

    @Option(help: "The file to write (replaced atomically); default: standard output.")
    var output: String?

    func run() throws {
        do {
            let text = try ExportGrafana.run(scenario: scenario, output: output)
            if let output {
                Console.out("wrote the Grafana dashboard → \(output)")
            } else {
                Console.out(text)
            }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}

/// `tierbench export alerts SCENARIO [--output DIR]`.
struct ExportAlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Turn a scenario's alerts: into a Prometheus rule file and a promtool test file.",
        discussion: """
            Writes tierbench-<scenario>.rules.yml and tierbench-<scenario>.rules.test.yml. Check them with
            `promtool check rules` and `promtool test rules`. Exits 65 when an alert cannot be expressed in PromQL.
            """)

    @Argument(help: "The scenario file whose alerts: to export.")
    var scenario: String

    @Option(help: "The directory to write into (created if missing).")
    var output: String = "."

    func run() throws {
        do {
            let outcome = try ExportAlerts.run(scenarioPath: scenario, directory: output)
            for warning in outcome.warnings { Console.error("warning: \(warning)") }
            Console.out("wrote \(outcome.alerts) alert rules → \(outcome.ruleFile) (test: \(outcome.testFile))")
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
