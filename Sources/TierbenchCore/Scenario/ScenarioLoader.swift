import Yams

/// Reads scenario files (YAML, or JSON, which YAML reads too) into `Scenario` values. Pure: no file IO.
///
/// The loader walks Yams' composed nodes rather than decoding, so every problem names the file, line, column,
/// key path and the fix, and all problems are reported at once.
public enum ScenarioLoader {
    /// Keys allowed at the top level of a scenario.
    static let topLevelKeys = [
        "version", "name", "description", "target", "endpoint", "model", "request", "prompts", "batch_size",
        "stream", "load", "timeouts", "http", "mock", "retry", "throttle", "sweep", "alerts", "thresholds", "abort_on_fail",
        "fail_on_generator_bottleneck", "budget", "sessions",
    ]
    /// Keys planned for later versions; refused with "not supported yet" instead of "unknown key".
    static let reservedTopLevelKeys: [String] = []

    /// Parses and validates the text of a scenario file.
    /// - Parameters:
    ///   - text: The file's contents (YAML or JSON).
    ///   - fileName: The name used in error messages, e.g. `scenarios/quickstart.yaml`; also the default `name`.
    ///   - overrides: Command-line values for `load:` keys, validated by the same rules as the file's own.
    /// - Returns: The scenario with every default filled in.
    /// - Throws: `ScenarioErrors` listing every problem, each with line, column, key path and hint.
    public static func parse(
        text: String, fileName: String, overrides: ScenarioOverrides = ScenarioOverrides()
    ) throws(ScenarioErrors) -> Scenario {
        let reader = ScenarioNodeReader(fileName: fileName, commandLine: overrides.flagsByKeyPath)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text).map(overrides.apply(to:))
        } catch {
            throw ScenarioErrors([syntaxError(error, fileName: fileName)])
        }
        guard let root else {
            throw ScenarioErrors([ScenarioError(
                file: fileName, line: 1, column: 1, keyPath: "", message: "the file is empty",
                hint: "start with 'version: 1' (see docs/scenarios.md)")])
        }
        guard let top = reader.mapping(root, "", keys: topLevelKeys, reserved: reservedTopLevelKeys),
            let scenario = read(top, reader: reader), reader.errors.isEmpty
        else {
            throw ScenarioErrors(reader.errors)
        }
        return scenario
    }

    /// The default scenario name: the file name without directories and extension, e.g. `quickstart`.
    public static func defaultName(forFile fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let stem = base.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        let name = stem.isEmpty ? base : stem
        return name.isEmpty ? "scenario" : name
    }

    // MARK: Top level

    private static func read(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> Scenario? {
        var version = TierbenchVersion.scenarioFormat
        if let node = top["version"] {
            if let value = reader.int(node, "version", min: 1, max: Int.max) {
                if value == TierbenchVersion.scenarioFormat {
                    version = value
                } else {
                    reader.report(node, "version", "unsupported scenario version \(value)",
                                  hint: "this tierbench reads version \(TierbenchVersion.scenarioFormat)")
                }
            }
        } else {
            reader.missing(top, "version", hint: "add 'version: \(TierbenchVersion.scenarioFormat)' at the top")
        }
        var name = defaultName(forFile: reader.fileName)
        if let node = top["name"], let value = reader.string(node, "name") {
            if value.unicodeScalars.allSatisfy(isNameCharacter) && !value.hasPrefix(".") {
                name = value
            } else {
                reader.report(node, "name", "'\(value)' cannot name a results directory",
                              hint: "use letters, digits, '.', '_' and '-' only")
            }
        }
        let description = top["description"].flatMap { reader.string($0, "description", allowEmpty: true) } ?? ""
        let target = top["target"].flatMap { readTarget($0, reader: reader) } ?? .mock
        var endpoint = Endpoint.chat
        if let node = top["endpoint"],
            let value = reader.choice(node, "endpoint", allowed: Endpoint.allCases.map(\.rawValue)),
            let parsed = Endpoint(rawValue: value)
        {
            endpoint = parsed
        }
        let model = top["model"].flatMap { reader.string($0, "model") } ?? Scenario.defaultModel(for: endpoint)
        let prompts = top.entry("prompts").flatMap { readPrompts($0, reader: reader) } ?? .defaultSynthetic
        let request = top["request"].flatMap {
            readRequest($0, endpoint: endpoint, textPromptsOnly: !isJSONL(prompts) && !top.has("sessions"), reader: reader)
        } ?? Scenario.defaultRequest(for: endpoint)

        var batchSize = 1
        if let node = top["batch_size"], let value = reader.int(node, "batch_size", min: 1, max: ScenarioLimits.maxBatchSize) {
            if value > 1 && !endpoint.acceptsPromptArrays {
                reader.report(node, "batch_size", "batch_size \(value) needs an endpoint that takes prompt arrays; "
                              + "\(endpoint.rawValue) takes one prompt per request",
                              hint: "set batch_size: 1, or use endpoint: completions or embeddings")
            } else {
                batchSize = value
            }
        }
        var stream = false
        if let node = top["stream"], let value = reader.bool(node, "stream") {
            if value && endpoint == .embeddings {
                reader.report(node, "stream", "embeddings cannot be streamed",
                              hint: "remove stream, or use endpoint: chat or completions")
            } else {
                stream = value
            }
        }
        let load = readLoad(top, reader: reader)
        let timeouts = readTimeouts(top, reader: reader)
        let http = readHTTP(top, reader: reader)
        var mock = MockSettings()
        if let entry = top.entry("mock") {
            if target.isMock {
                mock = readMock(entry, reader: reader) ?? mock
            } else {
                reader.report(entry.keyNode, "mock", "mock settings only apply to target: mock",
                              hint: "remove the mock section, or set target: mock")
            }
        }
        let retry = readRetry(top, reader: reader)
        let throttle = readThrottle(top, reader: reader)
        let sweep = readSweep(
            top, load: load, batchSize: batchSize, model: model, endpoint: endpoint,
            defaultTier: SweepTier.scenarioDefault(target: target, mockTier: mock.tier), reader: reader)
        if http.version == .http2, let node = top.entry("http")?.keyNode {
            let mockTiers = sweep.map { $0.tiers.contains(where: \.isMock) } ?? target.isMock
            if mockTiers {
                reader.report(node, "http.version", "the built-in mock speaks HTTP/1.1 only, so HTTP/2 would fail every request",
                              hint: "remove http.version (or set \"1.1\") for the mock; keep \"2\" for a real server")
            }
        }
        let alerts = readAlerts(top, reader: reader)
        let thresholds = readThresholds(top, reader: reader)
        let failOnBottleneck = readFailOnGeneratorBottleneck(top, reader: reader)
        let sessions = readSessions(top, load: load, endpoint: endpoint, batchSize: batchSize, reader: reader)
        guard let load else { return nil }
        var scenario = Scenario(
            version: version, name: name, description: description, target: target, endpoint: endpoint,
            model: model, request: request, prompts: prompts, batchSize: batchSize, stream: stream, load: load,
            timeouts: timeouts, http: http, mock: mock, retry: retry, throttle: throttle)
        scenario.sweep = sweep
        scenario.alerts = alerts
        scenario.thresholds = thresholds
        scenario.failOnGeneratorBottleneck = failOnBottleneck
        scenario.budget = readBudget(top, reader: reader)
        scenario.sessions = sessions
        return scenario
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
    }

    private static func isJSONL(_ source: PromptSource) -> Bool {
        if case .jsonl = source { return true }
        return false
    }

    /// Turns a Yams parse error into a located scenario error.
    static func syntaxError(_ error: any Error, fileName: String) -> ScenarioError {
        func make(_ mark: Mark?, _ problem: String, _ context: YamlError.Context?) -> ScenarioError {
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty, context.text.count < 80 { message += " (\(context.text))" }
            return ScenarioError(
                file: fileName, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: "", message: message,
                hint: "check indentation (spaces, not tabs), quotes and brackets near here")
        }
        guard let yamlError = error as? YamlError else {
            return ScenarioError(file: fileName, line: 0, column: 0, keyPath: "", message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return make(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioError(
                file: fileName, line: context.mark.line, column: context.mark.column, keyPath: "",
                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping",
                hint: "keep one of them")
        case .reader(let problem, _, _, _):
            return make(nil, problem, nil)
        default:
            return make(nil, "\(yamlError)", nil)
        }
    }
}
