import Yams

/// Command-line overrides of a scenario's `load:` keys (`--max-workers`, `--duration`, `--requests`).
///
/// They are written into the parsed YAML tree before validation, so an override meets exactly the rules a value in
/// the file meets (ranges, units, `warmup` shorter than `duration`, conflicts between load models); a problem with
/// one is reported against the flag, not against a line of the file.
public struct ScenarioOverrides: Sendable, Equatable {
    /// `--max-workers`, as typed.
    public var maxWorkers: String?
    /// `--duration`, as typed (with a unit: `10s`).
    public var duration: String?
    /// `--requests`, as typed.
    public var requests: String?
    /// `load.warmup`, as typed (`tierbench decide` measures from the first request: `0s`).
    public var warmup: String?
    /// A `retry:` section used when the scenario has none, as `{key: value}` text pairs (`tierbench decide` needs
    /// its synchronous side to wait out rate limits like a careful client, not to count every 429 as a loss).
    public var defaultRetry: [(key: String, value: String)]?

    public init(
        maxWorkers: String? = nil, duration: String? = nil, requests: String? = nil, warmup: String? = nil,
        defaultRetry: [(key: String, value: String)]? = nil
    ) {
        self.maxWorkers = maxWorkers
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
        self.defaultRetry = defaultRetry
    }

    public static func == (lhs: ScenarioOverrides, rhs: ScenarioOverrides) -> Bool {
        lhs.maxWorkers == rhs.maxWorkers && lhs.duration == rhs.duration && lhs.requests == rhs.requests
            && lhs.warmup == rhs.warmup
            && lhs.defaultRetry?.map { $0.key + "=" + $0.value } == rhs.defaultRetry?.map { $0.key + "=" + $0.value }
    }

    /// True when no flag overrides anything.
    public var isEmpty: Bool {
        maxWorkers == nil && duration == nil && requests == nil && warmup == nil && defaultRetry == nil
    }

    /// (key under `load:`, value, flag name) for each given override.
    var entries: [(key: String, value: String, flag: String)] {
        var out: [(String, String, String)] = []
        if let maxWorkers { out.append(("max_workers", maxWorkers, "--max-workers")) }
        if let duration { out.append(("duration", duration, "--duration")) }
        if let requests { out.append(("requests", requests, "--requests")) }
        if let warmup { out.append(("warmup", warmup, "--warmup")) }
        return out
    }

    /// The flag that set each overridden key path, e.g. `load.duration` → `--duration`.
    var flagsByKeyPath: [String: String] {
        Dictionary(uniqueKeysWithValues: entries.map { ("load.\($0.key)", $0.flag) })
    }

    /// `root` with the overrides written into its `load:` mapping (created when absent). A root that is not a
    /// mapping is returned unchanged: the loader reports that problem itself.
    func apply(to root: Node) -> Node {
        guard !isEmpty, case .mapping(var top) = root else { return root }
        var load: Node.Mapping
        if case .mapping(let existing)? = top["load"] { load = existing } else if top["load"] == nil { load = [:] } else {
            return root
        }
        for entry in entries {
            load[entry.key] = Node(entry.value)
        }
        top["load"] = .mapping(load)
        if let defaultRetry, top["retry"] == nil {
            var retry: Node.Mapping = [:]
            for (key, value) in defaultRetry { retry[Node(key)] = Node(value) }
            top["retry"] = .mapping(retry)
        }
        return .mapping(top)
    }
}
