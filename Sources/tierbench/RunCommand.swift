import ArgumentParser
import Foundation
import TierbenchCore
import TierbenchEngine

/// `tierbench run SCENARIO`: replays a scenario and writes summary.json and requests.jsonl.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario against its target (the built-in mock by default) and report the results.")

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    @Option(name: .long, help: "Write summary.json and requests.jsonl into this directory (default: results/<name>/<UTC time>/).")
    var output: String?

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .long, help: "Print the summary as JSON on standard output.")
    var json = false

    @Option(name: .long, help: "Override load.max_workers.")
    var maxWorkers: Int?

    @Option(name: .long, help: "Override load.duration (with a unit: 10s, 2m).")
    var duration: String?

    @Option(name: .long, help: "Override load.requests.")
    var requests: Int?

    @Option(name: .long, help: "Number of curl event-loop threads the workers are split across.")
    var threads = 1

    @Flag(name: .long, help: "Do not write requests.jsonl.")
    var noRequestLog = false

    @Option(name: .long, help: "Live progress on standard error: auto (a bar on a terminal, a line every 5 s otherwise), bar, plain or off.")
    var progress: ProgressDisplay.Mode = .auto

    @Option(name: .long, help: "Serve the harness's Prometheus metrics on 127.0.0.1:PORT/metrics while the run lasts.")
    var metricsPort: Int?

    @Option(name: .long, help: "Serve the harness's Prometheus metrics on HOST:PORT/metrics instead, e.g. 0.0.0.0:9464 or [::]:9464 to reach it from another machine.")
    var metricsAddress: String?

    @Option(name: .long, help: "Keep serving the final figures on the metrics endpoint this long after the run (e.g. 15s, at most 10m; Ctrl-C ends it early), so the last scrape is not lost.")
    var metricsLinger: String?

    @OptionGroup var gate: GateFlags
    @Option(name: .long, help: "A price table (JSON, USD per 1M tokens) replacing the built-in one.")
    var priceFile: String?

    @Flag(name: .long, help: "Print the expected requests, tokens and cost, and send nothing.")
    var dryRun = false

    @Option(name: .long, help: "Run shard I of N (0-based, e.g. 0/4) of the scenario, or 'auto' to take both from the job engine (Slurm, pssh, a Kubernetes indexed Job, Nomad; TIERBENCH_SHARD=I/N also works). A shard judges no threshold or baseline: `tierbench merge` does.")
    var shard: String?

    @Option(name: .long, help: "The number of shards; alone it means --shard auto with this count (needed with JOB_COMPLETION_INDEX or NOMAD_ALLOC_INDEX).")
    var shards: Int?

    @Option(name: .long, help: "Wait until this time, then start sending: ISO-8601 UTC (2026-12-05T18:30:00Z) or +10s from now. Give every shard the same time.")
    var startAt: String?

    @Option(name: .long, help: "Refuse to start when --start-at is already this far past (default 1s).")
    var startTolerance: String?

    func validate() throws {
        if let maxWorkers, maxWorkers < 1 { throw ValidationError("--max-workers must be at least 1, got \(maxWorkers).") }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1, got \(requests).") }
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be between 1 and 64, got \(threads).") }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535, got \(metricsPort).")
        }
        if metricsPort != nil, metricsAddress != nil {
            throw ValidationError("--metrics-port and --metrics-address both set the endpoint; give one.")
        }
        if let metricsAddress {
            do {
                _ = try MetricsAddress.parse(metricsAddress)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let metricsLinger {
            guard let linger = TimeSpan.parse(metricsLinger), linger.nanoseconds >= 0,
                linger.nanoseconds <= RunOptions.maxMetricsLinger.nanoseconds
            else {
                throw ValidationError("--metrics-linger needs a duration with a unit up to 10m, e.g. 15s; got '\(metricsLinger)'.")
            }
            if metricsPort == nil && metricsAddress == nil {
                throw ValidationError("--metrics-linger needs --metrics-port or --metrics-address.")
            }
        }
        if let startTolerance {
            guard let tolerance = TimeSpan.parse(startTolerance), tolerance.nanoseconds >= 0,
                tolerance.nanoseconds <= 3_600_000_000_000
            else {
                throw ValidationError("--start-tolerance needs a duration with a unit up to 1h, e.g. 2s; got '\(startTolerance)'.")
            }
            if startAt == nil { throw ValidationError("--start-tolerance needs --start-at.") }
        }
        if let duration, TimeSpan.parse(duration) == nil {
            throw ValidationError("--duration needs a unit, e.g. 10s or 2m; got '\(duration)'.")
        }
    }

    func run() async throws {
        var options = RunOptions(scenarioPath: scenario)
        options.outputDirectory = output
        options.maxWorkers = maxWorkers
        options.requests = requests
        options.duration = duration.flatMap(TimeSpan.parse)
        options.threads = threads
        options.writeRequestLog = !noRequestLog
        options.priceFile = priceFile
        do {
            options.shard = try ShardEnvironment.resolve(
                shard: shard, shards: shards, environment: ProcessInfo.processInfo.environment)
            options.startAt = try startAt.map {
                try ShardStartTime.parse($0, nowUnixNanos: Int64(Date().timeIntervalSince1970 * 1e9))
            }
        } catch {
            throw ValidationError(String(describing: error))
        }
        if let tolerance = startTolerance.flatMap(TimeSpan.parse) { options.startTolerance = tolerance }
        if dryRun {
            do {
                Console.out(try Runner.dryRun(options))
            } catch {
                Console.error(error.description)
                throw ExitCode(error.exitCode)
            }
            return
        }
        let display = ProgressDisplay(mode: quiet || json ? .off : progress)
        if display.mode != .off { options.onSample = { display.show($0) } }
        options.onAlert = { display.message($0.message) }
        var address = metricsPort.map { MetricsAddress(port: $0) }
        if let metricsAddress {
            do {
                address = try MetricsAddress.parse(metricsAddress)
            } catch {
                throw ValidationError(error.description)
            }
        }
        options.metricsPort = address?.port
        options.metricsHost = address?.host ?? MetricsAddress.loopbackHost
        options.metricsLinger = metricsLinger.flatMap(TimeSpan.parse) ?? .zero
        if !quiet, let address {
            let linger = metricsLinger.map { ", kept \($0) after the run" } ?? ""
            options.onMetricsListening = { port in
                var bound = address
                bound.port = port
                display.message("metrics on http://\(bound)/metrics\(linger)")
            }
        }
        let gateOptions = try gate.options(color: Console.isTerminal)
        try GateFlags.checkInputs(gateOptions)  // before anything is sent: a bad --baseline would waste the run
        if let assignment = options.shard, gateOptions.baselinePath != nil {
            throw ValidationError(
                "--baseline does not apply to shard \(assignment.slice.description): pass it to `tierbench merge`, "
                    + "which judges the merged result.")
        }
        let interrupt = RunInterrupt()
        let trap = InterruptTrap { interrupt.interrupt() }
        defer { trap.cancel() }
        let report: RunReport
        do {
            report = try await Runner.run(options, interrupt: interrupt)
        } catch {
            display.finish()
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        display.finish()
        if !quiet { report.notes.forEach(Console.note) }
        if json {
            Console.out(report.summaryJSON)
        } else if !quiet {
            Console.out(ConsoleSummary.render(report.summary, color: Console.isTerminal))
            Console.out("results: \(report.directory)")
        }
        if report.abortedByAlert {
            Console.error("aborted by an alert: the results cover the run up to the abort")
        } else if report.interrupted, !quiet {
            Console.error("interrupted: the results cover the run up to the interrupt")
        }
        let verdict: GateOutcome
        do {
            verdict = try Gate.judge(run: report, options: gateOptions)
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
        if !verdict.table.isEmpty, !quiet { (json ? Console.note : Console.out)(verdict.table) }
        if !quiet { for file in verdict.files { Console.error("wrote \(file)") } }
        if report.abortedBy == nil, report.exitCode != ExitCodes.success {
            if report.exitCode == ExitCodes.runFailed {
                Console.error("exit code 1: no measured request succeeded, so the run failed (docs/ci.md)")
            }
            throw ExitCode(report.exitCode)
        }
        if verdict.exitCode != ExitCodes.success { throw ExitCode(verdict.exitCode) }
    }
}
