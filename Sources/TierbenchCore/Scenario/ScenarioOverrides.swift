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

    public init(maxWorkers: String? = nil, duration: String? = nil, requests: String? = nil) {
        self.maxWorkers = maxWorkers
        self.duration = duration
        self.requests = requests
    }

    /// True when no flag overrides anything.
    public var isEmpty: Bool { maxWorkers == nil && duration == nil && requests == nil }

    /// (key under `load:`, value, flag name) for each given override.
    var entries: [(key: String, value: String, flag: String)] {
        var out: [(String, String, String)] = []
        if let maxWorkers { out.append(("max_workers", maxWorkers, "--max-workers")) }
        if let duration { out.append(("duration", duration, "--duration")) }
        if let requests { out.append(("requests", requests, "--requests")) }
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
        return .mapping(top)
    }
}
