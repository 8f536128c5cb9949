import Foundation
import TierbenchCore

/// A scenario read from disk with its prompts loaded: the IO half of scenario loading (the parsing is pure, in
/// `ScenarioLoader`).
public struct ScenarioFile: Sendable {
    /// The scenario as parsed, with any command-line overrides applied.
    public private(set) var scenario: Scenario
    /// The prompts, loaded from the scenario's prompt source.
    public let prompts: [Prompt]
    /// The path the scenario was read from.
    public let path: String
    /// `load.trace`'s rows, read and checked; nil without a trace.
    public let trace: Trace?

    /// Reads, parses and validates the scenario at `path` and loads its prompts.
    /// - Parameter overrides: Command-line values of `load:` keys, validated with the file's own rules.
    public static func load(
        path: String, overrides: ScenarioOverrides = ScenarioOverrides()
    ) throws(EngineError) -> ScenarioFile {
        let text = try readText(path)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.parse(text: text, fileName: path, overrides: overrides)
        } catch {
            throw EngineError.invalidScenario(error.description)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let prompts: [Prompt]
        do {
            prompts = try PromptLoader.load(
                scenario.prompts, baseDirectory: directory.isEmpty ? "." : directory, readFile: readText)
        } catch {
            throw EngineError.invalidScenario("\(path): \(error.description)")
        }
        var resolved = scenario
        if let tiersFile = scenario.mock.tiersFile {
            resolved.mock.tiersFile = PromptLoader.resolve(path: tiersFile, baseDirectory: directory)
        }
        var trace: Trace?
        if let settings = scenario.load.trace {
            let file = PromptLoader.resolve(path: settings.file, baseDirectory: directory)
            let text = try readText(file)
            do {
                trace = try TraceParser.parse(text, format: settings.format, file: file)
            } catch {
                throw EngineError.invalidScenario("\(path): \(error.description)")
            }
        }
        return ScenarioFile(scenario: resolved, prompts: prompts, path: path, trace: trace)
    }

    /// Applies one sweep point: workers, batch size, model, open-loop rate and tier.
    mutating func apply(_ settings: SweepPoint.Settings) {
        scenario.load.maxWorkers = settings.maxWorkers
        scenario.batchSize = settings.batchSize
        scenario.model = settings.model
        if let rate = settings.rate {
            scenario.load.rate = rate
            scenario.load.maxInFlight = settings.maxWorkers
        }
        switch settings.tier.target {
        case .mock(let preset):
            scenario.target = .mock
            scenario.mock.tier = preset
            if let timeScale = settings.tier.timeScale { scenario.mock.timeScale = timeScale }
        case .remote(let baseURL, let apiKeyEnv):
            // The scenario's extra headers (an Azure `api-key`, `OpenAI-Organization`) go to every remote tier.
            var headers: [HTTPHeader] = []
            if case .remote(let own) = scenario.target { headers = own.headers }
            scenario.target = .remote(RemoteTarget(baseURL: baseURL, apiKeyEnv: apiKeyEnv, headers: headers))
        }
    }

    /// The scenario as run, as JSON for summary.json. Header values that look like credentials are redacted.
    var scenarioAsRun: JSONValue {
        var copy = scenario
        if case .remote(var remote) = copy.target {
            remote.headers = remote.headers.map { header in
                Self.isSecret(header.name) ? HTTPHeader(name: header.name, value: "<redacted>") : header
            }
            remote.baseURL = remote.displayURL
            copy.target = .remote(remote)
        }
        return copy.canonicalJSON
    }

    /// One line saying what the scenario will do, for `tierbench validate`.
    public var description: String {
        var parts = ["\(scenario.endpoint.rawValue) \(scenario.model)"]
        if let sessions = scenario.sessions {
            if case .file(let file) = sessions.source { parts.append("sessions from \(file)") } else { parts.append("synthetic sessions") }
            parts.append(scenario.load.rate.map { "\($0) sessions/s" } ?? "users \(scenario.load.maxWorkers)")
        } else {
            parts.append("\(prompts.count) prompts")
            if scenario.batchSize > 1 { parts.append("batch_size \(scenario.batchSize)") }
            parts.append("max_workers \(scenario.load.maxWorkers)")
        }
        if let duration = scenario.load.duration { parts.append("duration \(duration)") }
        if let requests = scenario.load.requests { parts.append("\(requests) requests") }
        switch scenario.target {
        case .mock: parts.append("target: built-in mock")
        case .remote(let remote): parts.append("target: \(remote.displayURL)")
        }
        if let sweep = scenario.sweep {
            let tiers = sweep.tiers.map { "\($0.label) → \($0.targetDescription)" }
            parts.append("sweep tiers: " + tiers.joined(separator: "; "))
        }
        return parts.joined(separator: ", ")
    }

    static func isSecret(_ headerName: String) -> Bool {
        let name = headerName.lowercased()
        return name == "authorization" || name.contains("api-key") || name.contains("apikey")
            || name.contains("token") || name.contains("secret") || name == "cookie"
    }

    static func readText(_ path: String) throws(EngineError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw EngineError.cannotRead(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EngineError.cannotRead(path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
