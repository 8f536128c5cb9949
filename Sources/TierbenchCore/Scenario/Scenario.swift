/// A benchmark scenario: what to send, to which target, and how hard. Read from a YAML (or JSON) file by
/// `ScenarioLoader`; docs/scenarios.md describes every key.
///
/// Every field has a default except `version`, which must be 1, and the load's stop condition
/// (`load.duration` and/or `load.requests`).
public struct Scenario: Sendable, Equatable, Codable {
    /// Scenario format version; this build reads version 1 (`TierbenchVersion.scenarioFormat`).
    public var version: Int
    /// Name used for the results directory; defaults to the file name without its extension.
    public var name: String
    /// Free text shown in reports; default empty.
    public var description: String
    /// Where requests go: the built-in mock (default) or a real OpenAI-compatible server.
    public var target: ScenarioTarget
    /// Which endpoint to exercise; default `chat`.
    public var endpoint: Endpoint
    /// The `model` field of every request; default per endpoint (`Scenario.defaultModel(for:)`).
    public var model: String
    /// The request body template (a JSON object); `{prompt}` is replaced by the prompt text.
    /// Default per endpoint (`Scenario.defaultRequest(for:)`).
    public var request: JSONValue
    /// Where the prompts come from; default 100 synthetic prompts of about 100 tokens.
    public var prompts: PromptSource
    /// Prompts per request; > 1 only for endpoints that take arrays (completions, embeddings). Default 1.
    public var batchSize: Int
    /// Ask for a server-sent event stream (chat and completions only); default false.
    public var stream: Bool
    /// How much load and for how long.
    public var load: LoadSettings
    /// Connect and whole-request time limits.
    public var timeouts: ScenarioTimeouts
    /// HTTP protocol version; default 1.1.
    public var http: HTTPSettings
    /// Behaviour of the built-in mock; only meaningful (and only allowed) with `target: mock`.
    public var mock: MockSettings
    /// When and how failed requests are retried; default `.none` (one attempt).
    public var retry: RetryPolicy
    /// Client-side request/token budgets per minute; nil = none.
    public var throttle: ThrottleSettings?
    /// The grid `tierbench sweep` runs (docs/sweep.md); nil = no sweep section.
    public var sweep: SweepSpec?
    /// Live conditions that warn or abort while the run is under way (`alerts:`); default none.
    public var alerts: [AlertRule] = []
    /// Pass/fail conditions judged after the run (`tierbench run`/`sweep` exit 2 when one fails); default none.
    public var thresholds: [ScenarioThreshold] = []
    /// Exit 4 when the summary says the load generator was the bottleneck (`generator.limited_by_generator`).
    public var failOnGeneratorBottleneck = false
    /// Spend limit and projected job size (`budget:`); defaults: no limit, 10 000 prompts.
    public var budget = BudgetSettings()
    /// Multi-turn conversations (`sessions:`, docs/sessions.md); nil = every request stands alone.
    public var sessions: SessionSettings?

    public init(
        version: Int = TierbenchVersion.scenarioFormat,
        name: String,
        description: String = "",
        target: ScenarioTarget = .mock,
        endpoint: Endpoint = .chat,
        model: String? = nil,
        request: JSONValue? = nil,
        prompts: PromptSource = .defaultSynthetic,
        batchSize: Int = 1,
        stream: Bool = false,
        load: LoadSettings,
        timeouts: ScenarioTimeouts = ScenarioTimeouts(),
        http: HTTPSettings = HTTPSettings(),
        mock: MockSettings = MockSettings(),
        retry: RetryPolicy = .none,
        throttle: ThrottleSettings? = nil
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.target = target
        self.endpoint = endpoint
        self.model = model ?? Scenario.defaultModel(for: endpoint)
        self.request = request ?? Scenario.defaultRequest(for: endpoint)
        self.prompts = prompts
        self.batchSize = batchSize
        self.stream = stream
        self.load = load
        self.timeouts = timeouts
        self.http = http
        self.mock = mock
        self.retry = retry
        self.throttle = throttle
    }

    /// The model used when the file names none: `gpt-4o-mini`, `gpt-3.5-turbo-instruct` or `text-embedding-3-small`.
    public static func defaultModel(for endpoint: Endpoint) -> String {
        switch endpoint {
        case .chat: return "gpt-4o-mini"
        case .completions: return "gpt-3.5-turbo-instruct"
        case .embeddings: return "text-embedding-3-small"
        }
    }

    /// The body template used when the file has no `request:`: the prompt in `messages`, `prompt` or `input`.
    public static func defaultRequest(for endpoint: Endpoint) -> JSONValue {
        switch endpoint {
        case .chat:
            return .object([
                .init("messages", .array([.object([.init("role", .string("user")), .init("content", .string("{prompt}"))])]))
            ])
        case .completions:
            return .object([.init("prompt", .string("{prompt}"))])
        case .embeddings:
            return .object([.init("input", .string("{prompt}"))])
        }
    }

    /// The placeholder replaced by the prompt text in the request template.
    public static let promptPlaceholder = "{prompt}"

    enum CodingKeys: String, CodingKey {
        case version, name, description, target, endpoint, model, request, prompts
        case batchSize = "batch_size"
        case stream, load, timeouts, http, mock, retry, throttle, sweep, alerts, thresholds, budget, sessions
        case failOnGeneratorBottleneck = "fail_on_generator_bottleneck"
    }

    /// The key paths of features from the open-loop/retry/throttle work in use (`load.rate`, `load.waves`,
    /// `load.stages`, `load.trace`, `load.max_in_flight`, `retry`, `throttle`), so an engine that cannot run them
    /// yet can refuse the scenario by name. Empty for a plain closed-loop scenario.
    public var extendedFeaturesInUse: [String] {
        var keys: [String] = []
        if load.rate != nil { keys.append("load.rate") }
        if load.arrival != .constant { keys.append("load.arrival") }
        if load.maxInFlight != nil { keys.append("load.max_in_flight") }
        if load.waves != nil { keys.append("load.waves") }
        if !load.stages.isEmpty { keys.append("load.stages") }
        if load.trace != nil { keys.append("load.trace") }
        if retry != .none { keys.append("retry") }
        if throttle != nil { keys.append("throttle") }
        if sessions != nil { keys.append("sessions") }
        return keys
    }
}
