import Foundation
import Yams

/// Walks composed YAML nodes, reading typed values and collecting every problem with its position and key path.
///
/// Each reader returns nil after recording an error, so callers keep going and one pass reports all problems.
final class ScenarioNodeReader {
    /// The scenario file name used in every error.
    let fileName: String
    /// Problems found so far, in the order found.
    private(set) var errors: [ScenarioError] = []

    /// Key paths set from the command line, with the flag that set each (`load.duration` → `--duration`).
    let commandLine: [String: String]

    init(fileName: String, commandLine: [String: String] = [:]) {
        self.fileName = fileName
        self.commandLine = commandLine
    }

    /// Records a problem at `mark` (line 0 when unknown). A problem with a value given on the command line names
    /// the flag instead of a line of the file.
    func report(_ mark: Mark?, _ path: String, _ message: String, hint: String = "") {
        if let flag = commandLine[path] {
            errors.append(ScenarioError(
                file: fileName, line: 0, column: 0, keyPath: path, message: "\(flag) (command line): \(message)",
                hint: hint))
            return
        }
        errors.append(ScenarioError(
            file: fileName, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: path, message: message,
            hint: hint))
    }

    /// Records a problem at `node`'s position.
    func report(_ node: Node, _ path: String, _ message: String, hint: String = "") {
        report(node.mark, path, message, hint: hint)
    }

    // MARK: Mappings

    /// Reads a mapping whose keys must be among `keys`; unknown keys are reported with a did-you-mean.
    /// - Parameters:
    ///   - reserved: Keys planned for later versions, reported as "not supported yet" rather than unknown.
    ///   - mark: Where to point for problems with the mapping as a whole; default the node's own position.
    func mapping(
        _ node: Node, _ path: String, keys: [String], reserved: [String] = [], at mark: Mark? = nil
    ) -> ScenarioMapping? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping with keys \(keys.joined(separator: ", ")), got \(node.gotDescription)")
            return nil
        }
        var entries: [ScenarioMapping.Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                report(keyNode, path, "keys must be plain names, got \(keyNode.gotDescription)")
                continue
            }
            let key = keyScalar.string
            let keyPath = ScenarioMapping.join(path, key)
            if keys.contains(key) {
                entries.append(.init(key: key, keyNode: keyNode, value: value))
            } else if reserved.contains(key) {
                report(keyNode, keyPath, "not supported by this version of tierbench yet", hint: "remove it")
            } else if key == "<<" {
                report(keyNode, keyPath, "YAML merge keys are not supported", hint: "write the keys out")
            } else {
                report(keyNode, keyPath, "unknown key", hint: KeySuggestion.hint(for: key, among: keys))
            }
        }
        return ScenarioMapping(path: path, mark: mark ?? node.mark, entries: entries)
    }

    /// Reads the sub-mapping at `key` of `parent`, pointing whole-mapping problems at the key.
    func section(_ parent: ScenarioMapping, _ key: String, keys: [String], reserved: [String] = []) -> ScenarioMapping? {
        guard let entry = parent.entry(key) else { return nil }
        return mapping(entry.value, parent.path(key), keys: keys, reserved: reserved, at: entry.keyNode.mark)
    }

    /// Reads a mapping with free-form keys (e.g. `target.headers`) as (key, key node, value) triples.
    func freeMapping(_ node: Node, _ path: String, expecting: String) -> [ScenarioMapping.Entry]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected \(expecting), got \(node.gotDescription)")
            return nil
        }
        var entries: [ScenarioMapping.Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                report(keyNode, path, "keys must be scalars, got \(keyNode.gotDescription)")
                continue
            }
            entries.append(.init(key: keyScalar.string, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// Reports a missing required key of `mapping`.
    func missing(_ mapping: ScenarioMapping, _ key: String, hint: String) {
        report(mapping.mark, mapping.path(key), "missing required key", hint: hint)
    }

    /// Reads a list.
    func sequence(_ node: Node, _ path: String, expecting: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected \(expecting), got \(node.gotDescription)")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    /// The text of a scalar, or nil (reported) for a mapping or list.
    private func scalarText(_ node: Node, _ path: String, expecting: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected \(expecting), got \(node.gotDescription)")
            return nil
        }
        return scalar.string
    }

    /// Reads an integer in `min...max`, written as a plain decimal number. Both bounds are required, so that every
    /// integer a scenario holds has a documented range (docs/scenarios.md, "Limits").
    func int(_ node: Node, _ path: String, min: Int, max: Int) -> Int? {
        let expecting = ScenarioNodeReader.describeRange("an integer", min: min, max: max)
        guard let text = scalarText(node, path, expecting: expecting) else { return nil }
        guard node.isPlainScalar else {
            report(node, path, "expected \(expecting), got the quoted string '\(text)'", hint: "remove the quotes")
            return nil
        }
        let plain = YAMLPlainScalar(text)
        if let surprise = plain.surprise(expecting: "the number") {
            report(node, path, surprise.message, hint: surprise.hint)
            return nil
        }
        guard case .int(let value) = plain, value >= min, value <= max else {
            report(node, path, "expected \(expecting), got \(plain.gotDescription)")
            return nil
        }
        return value
    }

    /// Reads a finite number (integer or decimal) in the given range. `max` is required, so every number has a
    /// documented range; `min` or `above` bounds it from below.
    func number(_ node: Node, _ path: String, min: Double? = nil, max: Double, above: Double? = nil) -> Double? {
        var bounds: [String] = []
        if let min {
            bounds.append("between \(ScenarioNodeReader.trim(min)) and \(ScenarioNodeReader.trim(max))")
        }
        if let above { bounds.append("> \(ScenarioNodeReader.trim(above))") }
        if min == nil { bounds.append("≤ \(ScenarioNodeReader.trim(max))") }
        let expecting = (["a number"] + [bounds.joined(separator: " and ")]).filter { !$0.isEmpty }.joined(separator: " ")
        guard let text = scalarText(node, path, expecting: expecting) else { return nil }
        guard node.isPlainScalar else {
            report(node, path, "expected \(expecting), got the quoted string '\(text)'", hint: "remove the quotes")
            return nil
        }
        let plain = YAMLPlainScalar(text)
        if let surprise = plain.surprise(expecting: "the number") {
            report(node, path, surprise.message, hint: surprise.hint)
            return nil
        }
        let value: Double
        switch plain {
        case .int(let int): value = Double(int)
        case .float(let float): value = float
        default:
            report(node, path, "expected \(expecting), got \(plain.gotDescription)")
            return nil
        }
        if !value.isFinite { report(node, path, "expected \(expecting), got \(text)"); return nil }
        if let min, value < min { report(node, path, "expected \(expecting), got \(text)"); return nil }
        if value > max { report(node, path, "expected \(expecting), got \(text)"); return nil }
        if let above, value <= above { report(node, path, "expected \(expecting), got \(text)"); return nil }
        return value
    }

    /// Reads `true` or `false` (unquoted).
    func bool(_ node: Node, _ path: String) -> Bool? {
        guard let text = scalarText(node, path, expecting: "true or false") else { return nil }
        guard node.isPlainScalar else {
            report(node, path, "expected true or false, got the quoted string '\(text)'", hint: "remove the quotes")
            return nil
        }
        let plain = YAMLPlainScalar(text)
        if case .yaml11Bool = plain {
            report(node, path, "'\(text)' is not a boolean here (YAML 1.1 would read it as one)",
                   hint: "write true or false")
            return nil
        }
        guard case .bool(let value) = plain else {
            report(node, path, "expected true or false, got \(plain.gotDescription)")
            return nil
        }
        return value
    }

    /// Reads text. Plain `yes`/`no`/`on`/`off`/`true`/`false`/`null` are refused (quote them to mean text).
    func string(_ node: Node, _ path: String, allowEmpty: Bool = false) -> String? {
        guard let text = scalarText(node, path, expecting: "a string") else { return nil }
        if node.isPlainScalar {
            switch YAMLPlainScalar(text) {
            case .yaml11Bool:
                report(node, path, "plain '\(text)' is ambiguous (YAML 1.1 reads it as a boolean)",
                       hint: "quote it (\"\(text)\") to mean the text")
                return nil
            case .bool(let value):
                report(node, path, "expected a string, got the boolean \(value)", hint: "quote it to mean the text")
                return nil
            case .null where !text.isEmpty:
                report(node, path, "expected a string, got null", hint: "quote it to mean the text")
                return nil
            default:
                break
            }
        }
        if text.isEmpty && !allowEmpty {
            report(node, path, "expected a non-empty string, got nothing")
            return nil
        }
        return text
    }

    /// Reads one of `allowed` (e.g. an enum's raw values), with a did-you-mean for near misses.
    func choice(_ node: Node, _ path: String, allowed: [String]) -> String? {
        guard let text = string(node, path) else { return nil }
        guard allowed.contains(text) else {
            report(node, path, "expected one of \(allowed.joined(separator: ", ")), got '\(text)'",
                   hint: KeySuggestion.closest(to: text, among: allowed).map { "did you mean '\($0)'?" } ?? "")
            return nil
        }
        return text
    }

    /// Reads a duration with a unit (`250ms`, `20s`, `1.5m`, `1m30s`); a bare number is an error.
    /// - Parameter positive: Require > 0 (otherwise ≥ 0).
    func duration(_ node: Node, _ path: String, positive: Bool) -> TimeSpan? {
        guard let text = scalarText(node, path, expecting: "a duration with a unit such as 20s") else { return nil }
        let plain = node.isPlainScalar ? YAMLPlainScalar(text) : .string(text)
        switch plain {
        case .int, .float, .leadingZero:
            report(node, path, "a duration needs a unit, got the bare number \(text)",
                   hint: "write e.g. '\(text)s' or '\(text)ms' (units: ns, us, ms, s, m, h)")
            return nil
        case .sexagesimal:
            report(node, path, "'\(text)' is a base-60 number in YAML 1.1, not a duration",
                   hint: "write e.g. '1m30s' (units: ns, us, ms, s, m, h)")
            return nil
        default:
            break
        }
        if let bare = Double(text.trimmingCharacters(in: .whitespaces)) {
            report(node, path, "a duration needs a unit, got the bare number \(bare)",
                   hint: "write e.g. '\(text)s' (units: ns, us, ms, s, m, h)")
            return nil
        }
        guard let span = TimeSpan.parse(text) else {
            report(node, path, "'\(text)' is not a duration", hint: "write e.g. '20s', '250ms' or '1m30s' (units: ns, us, ms, s, m, h)")
            return nil
        }
        if positive && span.nanoseconds <= 0 {
            report(node, path, "expected a duration > 0, got \(text)")
            return nil
        }
        if span > ScenarioLimits.maxDuration {
            report(node, path, "\(text) is longer than the longest duration tierbench takes (\(ScenarioLimits.maxDuration))",
                   hint: "use at most 30 days (720h)")
            return nil
        }
        return span
    }

    // MARK: Formatting

    static func describeRange(_ noun: String, min: Int, max: Int) -> String {
        switch (min, max) {
        case (Int.min, Int.max): return noun
        case (_, Int.max): return "\(noun) ≥ \(min)"
        case (Int.min, _): return "\(noun) ≤ \(max)"
        default: return "\(noun) between \(min) and \(max)"
        }
    }

    static func trim(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
