import Foundation
import TierbenchCore

/// `tierbench export k8s-job SCENARIO --shards N --image IMAGE`: the Kubernetes manifest of a sharded run
/// (`K8sJobManifest`; docs/distributed.md, "Kubernetes").
public enum ExportK8sJob {
    /// What to render.
    public struct Options: Sendable {
        public var scenarioPath: String
        public var shards: Int
        public var image: String
        public var resultsClaim: String?
        public var name: String?
        /// `--start-at`: absolute ISO-8601 UTC, or `+DURATION` from now (converted to an absolute time here, since
        /// pods start at different moments).
        public var startAt: String?
        /// The file to write; nil returns the text only.
        public var output: String?

        public init(scenarioPath: String, shards: Int, image: String) {
            self.scenarioPath = scenarioPath
            self.shards = shards
            self.image = image
        }
    }

    /// Reads and validates the scenario, renders the manifest and writes it to `options.output` when given.
    /// - Throws: `.cannotRead`/`.invalidScenario` for the scenario, `.runFailed` for a bad name or start time
    ///   (exit 1), `.cannotWrite` for the output.
    public static func run(_ options: Options, now: Date = Date()) throws(EngineError) -> String {
        let text = try ScenarioFile.readText(options.scenarioPath)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.parse(text: text, fileName: options.scenarioPath)
        } catch {
            throw EngineError.invalidScenario(error.description)
        }
        let name = options.name ?? K8sJobManifest.defaultName(scenario: scenario.name)
        if let problem = K8sJobManifest.nameProblem(name) { throw .invalidScenario("--name: \(problem)") }
        if let claim = options.resultsClaim, let problem = K8sJobManifest.nameProblem(claim) {
            throw .invalidScenario("--results-claim: \(problem)")
        }
        let nowNanos = Int64((now.timeIntervalSince1970 * 1e9).rounded())
        let start = try options.startAt.map { (value) throws(EngineError) in try absolute(value, nowNanos: nowNanos) }
        let delay = start.map { Int(($0.unixNanos - nowNanos) / 1_000_000_000) } ?? 0
        let manifest = K8sJobManifest(
            name: name, scenarioFileName: fileName(options.scenarioPath), scenarioText: text, shards: options.shards,
            image: options.image, resultsClaim: options.resultsClaim, startAt: start?.text,
            waitSeconds: K8sJobManifest.waitSeconds(runSeconds: plannedSeconds(scenario.load), startDelaySeconds: delay),
            runID: UTCTimestamp.iso8601(unixNanos: nowNanos, fractionDigits: 0)
                .filter { $0 != "-" && $0 != ":" })
        let yaml = manifest.yaml
        if let output = options.output { try ResultWriter.writeAtomically(Data(yaml.utf8), to: output) }
        return yaml
    }

    /// `--start-at` checked as `run` checks it (`ShardStartTime.parse`: ISO-8601 UTC or `+DURATION`, at most 24 h
    /// ahead) and not in the past; `+30s` becomes now + 30 s as ISO-8601 UTC, an absolute time is kept as given.
    static func absolute(_ value: String, nowNanos: Int64) throws(EngineError) -> (text: String, unixNanos: Int64) {
        let start: ShardStartTime
        do {
            start = try ShardStartTime.parse(value, nowUnixNanos: nowNanos)
        } catch {
            throw .invalidScenario(error.message)
        }
        guard start.unixNanos >= nowNanos else {
            throw .invalidScenario("--start-at '\(value)' is in the past: every shard would refuse to start; give a "
                + "later time or +DURATION")
        }
        return (value.hasPrefix("+") ? UTCTimestamp.iso8601(unixNanos: start.unixNanos, fractionDigits: 0) : value,
                start.unixNanos)
    }

    /// The planned run length in whole seconds (`load.duration`, else the stages' total); nil when a request count
    /// or a trace ends the run.
    static func plannedSeconds(_ load: LoadSettings) -> Int? {
        let nanos = load.duration?.nanoseconds ?? load.stagesDuration.nanoseconds
        guard nanos > 0 else { return nil }
        let seconds = nanos / 1_000_000_000 + (nanos % 1_000_000_000 > 0 ? 1 : 0)  // rounded up
        return Int(min(seconds, 7 * 86_400))
    }

    /// The last path component, kept to letters, digits, `.`, `_`, `-` (a ConfigMap key).
    static func fileName(_ path: String) -> String {
        let base = (path as NSString).lastPathComponent
        let safe = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return safe.isEmpty ? "scenario.yaml" : safe
    }
}
