import Yams

extension ScenarioNodeReader {
    /// Converts a YAML node to JSON by the YAML 1.2 core rules: plain `true`/`false`, `null`/`~`, decimal
    /// integers and floats are typed, everything else (and everything quoted) is a string.
    ///
    /// The YAML 1.1 spellings that would change meaning (`yes`, `010`, `1:30`, `0x1F`, `1_000`, `.inf`) are
    /// reported with a hint to quote them; merge keys (`<<`) are refused.
    ///
    /// At most `ScenarioLimits.maxTemplateValues` values are read: YAML aliases share one parsed node, but a JSON
    /// value copies each use, so a few lines of nested aliases (a "billion laughs") would otherwise expand into
    /// gigabytes. Past the bound the conversion stops with one error.
    func jsonValue(_ node: Node, _ path: String) -> JSONValue? {
        var budget = ScenarioLimits.maxTemplateValues
        let value = jsonValue(node, path, budget: &budget)
        if budget < 0 {
            report(node, path, "more than \(ScenarioLimits.maxTemplateValues) values (YAML aliases count once per use)",
                   hint: "write a smaller body; if it uses aliases (*name), write the values out")
            return nil
        }
        return value
    }

    private func jsonValue(_ node: Node, _ path: String, budget: inout Int) -> JSONValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let scalar):
            guard node.isPlainScalar else { return .string(scalar.string) }
            let plain = YAMLPlainScalar(scalar.string)
            if let surprise = plain.surprise(expecting: "the number") {
                report(node, path, surprise.message, hint: surprise.hint)
                return nil
            }
            switch plain {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .int(let value): return .int(value)
            case .float(let value): return .double(value)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            var failed = false
            for (index, item) in sequence.enumerated() {
                guard budget >= 0 else { return nil }
                if let value = jsonValue(item, "\(path)[\(index)]", budget: &budget) {
                    items.append(value)
                } else {
                    failed = true
                }
            }
            return failed ? nil : .array(items)
        case .mapping(let mapping):
            var members: [JSONValue.Member] = []
            var failed = false
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    report(keyNode, path, "object keys must be strings, got \(keyNode.gotDescription)")
                    failed = true
                    continue
                }
                let key = keyScalar.string
                if key == "<<" && keyNode.isPlainScalar {
                    report(keyNode, ScenarioMapping.join(path, key), "YAML merge keys are not supported",
                           hint: "write the keys out")
                    failed = true
                    continue
                }
                guard budget >= 0 else { return nil }
                if let value = jsonValue(valueNode, ScenarioMapping.join(path, key), budget: &budget) {
                    members.append(.init(key, value))
                } else {
                    failed = true
                }
            }
            return failed ? nil : .object(members)
        case .alias:
            report(node, path, "aliases are not supported here", hint: "write the value out")
            return nil
        }
    }
}
