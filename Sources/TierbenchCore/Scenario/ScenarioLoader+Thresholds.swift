import Yams

extension ScenarioLoader {
    /// Keys of the mapping form of a `thresholds:` entry.
    static let thresholdKeys = ["expr", "abort_on_fail"]

    /// Reads `thresholds:` (a list of expressions or `{ expr, abort_on_fail }` mappings) and the top-level
    /// `abort_on_fail:` default for the string form. Every bad expression is reported at its own line.
    static func readThresholds(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> [ScenarioThreshold] {
        var abortDefault = false
        if let node = top["abort_on_fail"], let value = reader.bool(node, "abort_on_fail") {
            abortDefault = value
            if !top.has("thresholds") {
                reader.report(node, "abort_on_fail", "abort_on_fail without thresholds does nothing",
                              hint: "add a thresholds: list, or remove abort_on_fail")
            }
        }
        guard let node = top["thresholds"],
              let items = reader.sequence(node, "thresholds", expecting: "a list of threshold expressions such as "
                + "[\"latency_ms.p95 < 800ms\", \"error_rate <= 1%\"]")
        else { return [] }
        var thresholds: [ScenarioThreshold] = []
        for (index, item) in items.enumerated() {
            let path = "thresholds[\(index)]"
            if case .mapping = item {
                guard let entry = reader.mapping(item, path, keys: thresholdKeys) else { continue }
                var abort = abortDefault
                if let flag = entry["abort_on_fail"], let value = reader.bool(flag, entry.path("abort_on_fail")) {
                    abort = value
                }
                guard let exprNode = entry["expr"] else {
                    reader.missing(entry, "expr", hint: "write expr: \"latency_ms.p95 < 800ms\"")
                    continue
                }
                if let threshold = parseThreshold(exprNode, entry.path("expr"), reader: reader) {
                    thresholds.append(ScenarioThreshold(threshold, abortOnFail: abort))
                }
            } else if let threshold = parseThreshold(item, path, reader: reader) {
                thresholds.append(ScenarioThreshold(threshold, abortOnFail: abortDefault))
            }
        }
        return thresholds
    }

    private static func parseThreshold(_ node: Node, _ path: String, reader: ScenarioNodeReader) -> Threshold? {
        guard let text = reader.string(node, path) else { return nil }
        do {
            return try Threshold.parse(text)
        } catch {
            reader.report(node, path, error.description,
                          hint: "see docs/scenarios.md#thresholds for the metrics and units")
            return nil
        }
    }

    /// Reads `fail_on_generator_bottleneck:` (default false).
    static func readFailOnGeneratorBottleneck(_ top: ScenarioMapping, reader: ScenarioNodeReader) -> Bool {
        guard let node = top["fail_on_generator_bottleneck"] else { return false }
        return reader.bool(node, "fail_on_generator_bottleneck") ?? false
    }
}
