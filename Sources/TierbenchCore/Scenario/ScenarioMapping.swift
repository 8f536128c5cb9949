import Yams

/// A YAML mapping whose keys have been checked against the allowed set, with the key path it sits at.
struct ScenarioMapping {
    /// One key/value pair, in file order.
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    /// Dotted key path of this mapping (`""` for the document root).
    let path: String
    /// Where to point for problems with the mapping as a whole (e.g. a missing key): its key, or its start.
    let mark: Mark?
    /// The allowed entries, in file order.
    let entries: [Entry]

    /// The value node for `key`, if present.
    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    /// The entry for `key`, if present.
    func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// Whether `key` is present.
    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }

    /// The key path of `key` inside this mapping, e.g. `load.max_workers`.
    func path(_ key: String) -> String {
        ScenarioMapping.join(path, key)
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }
}

extension Node {
    /// What this node is, for "got …" in error messages.
    var gotDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                return YAMLPlainScalar(scalar.string).gotDescription
            }
            return "the quoted string '\(scalar.string)'"
        }
    }

    /// Whether this is an unquoted scalar, whose text YAML would resolve to a type.
    var isPlainScalar: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.style == .plain || scalar.style == .any
    }
}

