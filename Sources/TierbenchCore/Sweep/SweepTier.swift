/// One value of a sweep's `tier` axis: a mock rate-limit preset, or a real target labelled as a tier.
///
/// YAML: a string names a mock preset (`free`, `tier1` … `tier5`; `unlimited` = the mock without limits);
/// an object `{ label, base_url, api_key_env }` names a real OpenAI-compatible target (e.g. one key per tier);
/// `{ label, preset }` is a mock preset under another label; a mock tier may add `time_scale` (its own time
/// compression, replacing `mock.time_scale` for its points: tiers whose limits differ a thousandfold each get a scale
/// that gives enough requests per second of wall time).
public struct SweepTier: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Where a tier's requests go.
    public enum Target: Sendable, Equatable, Hashable {
        /// The built-in mock with this preset; nil = no rate limits.
        case mock(preset: String?)
        /// A real server; the key is read from the environment variable `apiKeyEnv` only.
        case remote(baseURL: String, apiKeyEnv: String?)
    }

    /// The name shown in reports and used as the key of `recommendation` in sweep.json.
    public var label: String
    public var target: Target
    /// This tier's mock time scale k ≥ 1, replacing the scenario's `mock.time_scale`; nil = the scenario's. Mock only.
    public var timeScale: Double?

    public init(label: String, target: Target, timeScale: Double? = nil) {
        self.label = label
        self.target = target
        self.timeScale = timeScale
    }

    /// The mock with rate-limit preset `preset` (label = preset name); `unlimited` is the mock without limits.
    public static func mock(_ preset: String) -> SweepTier {
        SweepTier(label: preset, target: .mock(preset: preset == unlimitedLabel ? nil : preset))
    }

    /// The mock without rate limits, labelled `unlimited`.
    public static let unlimitedMock = SweepTier(label: SweepTier.unlimitedLabel, target: .mock(preset: nil))

    /// The preset name that means "the mock without rate limits".
    public static let unlimitedLabel = "unlimited"

    /// A real target labelled as a tier.
    public static func remote(label: String, baseURL: String, apiKeyEnv: String?) -> SweepTier {
        SweepTier(label: label, target: .remote(baseURL: baseURL, apiKeyEnv: apiKeyEnv))
    }

    /// The sweep's tier when `sweep.tier` is not given: the scenario's own target, so a sweep of a scenario aimed
    /// at a URL measures that URL (labelled `target`), and one aimed at the mock keeps its `mock.tier` preset.
    public static func scenarioDefault(target: ScenarioTarget, mockTier: String?) -> SweepTier {
        switch target {
        case .remote(let remote):
            return .remote(label: "target", baseURL: remote.baseURL, apiKeyEnv: remote.apiKeyEnv)
        case .mock:
            return mockTier.map(SweepTier.mock) ?? .unlimitedMock
        }
    }

    /// Where the tier's requests go, for messages: `built-in mock (tier1)` or the URL.
    public var targetDescription: String {
        switch target {
        case .mock(let preset): return "built-in mock" + (preset.map { " (\($0))" } ?? " (no limits)")
        case .remote(let baseURL, _): return RemoteTarget.redactedURL(baseURL)
        }
    }

    /// Whether the tier runs against the built-in mock.
    public var isMock: Bool {
        if case .mock = target { return true }
        return false
    }

    public var description: String { label }

    private enum CodingKeys: String, CodingKey {
        case label, preset
        case timeScale = "time_scale"
        case baseURL = "base_url"
        case apiKeyEnv = "api_key_env"
    }

    public init(from decoder: any Decoder) throws {
        if let preset = try? decoder.singleValueContainer().decode(String.self) {
            self = .mock(preset)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let label = try container.decode(String.self, forKey: .label)
        if !container.contains(.baseURL) {
            let preset = try container.decodeIfPresent(String.self, forKey: .preset) ?? label
            self.init(
                label: label, target: .mock(preset: preset == Self.unlimitedLabel ? nil : preset),
                timeScale: try container.decodeIfPresent(Double.self, forKey: .timeScale))
            return
        }
        self = .remote(
            label: label,
            baseURL: try container.decode(String.self, forKey: .baseURL),
            apiKeyEnv: try container.decodeIfPresent(String.self, forKey: .apiKeyEnv))
    }

    public func encode(to encoder: any Encoder) throws {
        switch target {
        case .mock(let preset):
            let name = preset ?? Self.unlimitedLabel
            if name == label, timeScale == nil {
                var container = encoder.singleValueContainer()
                try container.encode(name)
            } else {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(label, forKey: .label)
                try container.encode(name, forKey: .preset)
                try container.encodeIfPresent(timeScale, forKey: .timeScale)
            }
        case .remote(let baseURL, let apiKeyEnv):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(label, forKey: .label)
            try container.encode(baseURL, forKey: .baseURL)
            try container.encodeIfPresent(apiKeyEnv, forKey: .apiKeyEnv)
        }
    }
}
