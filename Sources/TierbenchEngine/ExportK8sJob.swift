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
        let manifest = K8sJobManifest(
            name: name, scenarioFileName: fileName(options.scenarioPath), scenarioText: text, shards: options.shards,
            image: options.image, resultsClaim: options.resultsClaim,
            startAt: try options.startAt.map { (value) throws(EngineError) in try absolute(value, now: now) })
        let yaml = manifest.yaml
        if let output = options.output { try ResultWriter.writeAtomically(Data(yaml.utf8), to: output) }
        return yaml
    }

    /// `+30s` → now + 30 s as ISO-8601 UTC; an absolute time is kept as given.
    static func absolute(_ value: String, now: Date) throws(EngineError) -> String {
        guard value.hasPrefix("+") else {
            guard value.hasSuffix("Z"), value.contains("T") else {
                throw .invalidScenario("--start-at needs an ISO-8601 UTC time (2026-12-05T18:30:00Z) or +DURATION; got '\(value)'")
            }
            return value
        }
        guard let span = TimeSpan.parse(String(value.dropFirst())), span.nanoseconds >= 0,
              span.nanoseconds <= 86_400 * 1_000_000_000
        else { throw .invalidScenario("--start-at +DURATION needs a duration up to 24h, e.g. +2m; got '\(value)'") }
        let nanos = Int64((now.timeIntervalSince1970 * 1e9).rounded()) + span.nanoseconds
        return UTCTimestamp.iso8601(unixNanos: nanos, fractionDigits: 0)
    }

    /// The last path component, kept to letters, digits, `.`, `_`, `-` (a ConfigMap key).
    static func fileName(_ path: String) -> String {
        let base = (path as NSString).lastPathComponent
        let safe = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return safe.isEmpty ? "scenario.yaml" : safe
    }
}
