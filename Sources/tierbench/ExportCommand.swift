import ArgumentParser
import TierbenchCore
import TierbenchEngine

/// `tierbench export …`: monitoring configuration for Grafana and Prometheus (docs/monitoring.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a Grafana dashboard, Prometheus alert rules, or a Kubernetes Job for a sharded run.",
        subcommands: [ExportGrafanaCommand.self, ExportAlertsCommand.self, ExportK8sJobCommand.self])
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

/// `tierbench export k8s-job SCENARIO --shards N --image IMAGE [--results-claim NAME] [--name NAME]`.
struct ExportK8sJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s-job",
        abstract: "Write a Kubernetes manifest that runs SCENARIO as N shards (an Indexed Job) and merges them.",
        discussion: """
            The manifest holds a ConfigMap with the scenario, a ReadWriteMany PersistentVolumeClaim for the results \
            (unless --results-claim names an existing one), an Indexed Job (completions = parallelism = N, \
            backoffLimit 0, restartPolicy Never) whose pod i runs `tierbench run --shards N` as shard i, and a merge \
            Job that waits (the start delay + the planned run + 10 min; 1 h without a planned duration; it gives up at once when a shard failed without results) for every shard's summary.json and runs `tierbench merge`. Apply it with \
            `kubectl apply -f FILE`, then `kubectl wait --for=condition=complete job/NAME-merge`. \
            See docs/distributed.md. Without --output the YAML goes to standard output.
            """)

    @Argument(help: "The scenario file to run.")
    var scenario: String

    @Option(help: "Number of shards (pods), 1…\(ShardSlice.maxCount).")
    var shards: Int

    @Option(help: "The container image with tierbench as its entrypoint (see the Dockerfile).")
    var image: String

    @Option(help: "An existing ReadWriteMany PersistentVolumeClaim for the results (default: a new NAME-results claim).")
    var resultsClaim: String?

    @Option(help: "Job name (default: tierbench-<scenario name>).")
    var name: String?

    @Option(help: "When every shard starts: ISO-8601 UTC, or +DURATION from now (e.g. +2m). Default: when each pod runs.")
    var startAt: String?

    @Option(help: "The file to write (replaced atomically); default: standard output.")
    var output: String?

    func validate() throws {
        if !(1...ShardSlice.maxCount).contains(shards) {
            throw ValidationError("--shards must be between 1 and \(ShardSlice.maxCount), got \(shards).")
        }
        if image.isEmpty { throw ValidationError("--image needs an image reference, e.g. registry.example/tierbench:1") }
        if let name, let problem = K8sJobManifest.nameProblem(name) { throw ValidationError("--name: \(problem)") }
        if let resultsClaim, let problem = K8sJobManifest.nameProblem(resultsClaim) {
            throw ValidationError("--results-claim: \(problem)")
        }
    }

    func run() throws {
        var options = ExportK8sJob.Options(scenarioPath: scenario, shards: shards, image: image)
        options.resultsClaim = resultsClaim
        options.name = name
        options.startAt = startAt
        options.output = output
        do {
            let yaml = try ExportK8sJob.run(options)
            if let output {
                Console.out("wrote the Kubernetes manifest (\(shards) shards) → \(output)")
            } else {
                Console.out(yaml)
            }
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
