/// The numeric metrics of one side of a comparison, each with one value per run.
struct ComparisonSamples {
    /// What one side holds.
    enum Kind: String {
        case run = "a run", sweep = "a sweep", other = "a JSON document that is neither a run nor a sweep"
    }

    /// (path, values) in document order; values has one element per run that has the metric.
    var metrics: [(path: String, values: [Double])] = []
    var kind = Kind.other
    /// The `scenario.name`s of the runs (or the sweep's `name`), for refusing to compare different scenarios.
    var scenarioNames: Set<String> = []
    /// Runs on this side (1 for a single summary; the largest repetition count for a sweep).
    var runs = 1
    private var index: [String: Int] = [:]

    /// Reads a summary, an array of summaries, `{ runs: [...] }`, or a sweep (`{ points: [...] }`).
    init(_ json: JSONValue) {
        if case .array(let items) = json {
            kind = .run
            addRuns(items, prefix: "")
        } else if case .array(let points)? = json["points"] {
            kind = .sweep
            // sweep.json keeps the scenario as run in each point's run summaries.
            for point in points {
                guard case .array(let runs)? = point["run_summaries"] else { continue }
                for run in runs {
                    if case .string(let name)? = run.metricValue(at: "scenario.name") { scenarioNames.insert(name) }
                }
            }
            for point in points { addSweepPoint(point) }
            if let recommendation = json["recommendation"] {
                for (path, value) in recommendation.numericMetrics(prefix: "recommendation") { append(path, [value]) }
            }
        } else if case .array(let items)? = json["runs"], items.contains(where: { $0["requests"] != nil }) {
            kind = .run
            addRuns(items, prefix: "")
        } else {
            if json["requests"] != nil { kind = .run }
            if case .string(let name)? = json.metricValue(at: "scenario.name") { scenarioNames.insert(name) }
            for (path, value) in json.numericMetrics() { append(path, [value]) }
        }
    }

    func values(for path: String) -> [Double]? {
        index[path].map { metrics[$0].values }
    }

    private mutating func addRuns(_ items: [JSONValue], prefix: String) {
        runs = max(runs, items.count)
        for item in items {
            if case .string(let name)? = item.metricValue(at: "scenario.name") { scenarioNames.insert(name) }
        }
        var collected: [(String, [Double])] = []
        var positions: [String: Int] = [:]
        for item in items {
            for (path, value) in item.numericMetrics(prefix: prefix) {
                if let position = positions[path] {
                    collected[position].1.append(value)
                } else {
                    positions[path] = collected.count
                    collected.append((path, [value]))
                }
            }
        }
        for (path, values) in collected { append(path, values) }
    }

    /// A sweep point: its figures per repetition (`runs`) when kept, otherwise its median `figures`.
    private mutating func addSweepPoint(_ point: JSONValue) {
        let label = SweepView.Point(point).map { $0.label } ?? "point\(metrics.count)"
        if case .array(let repetitions)? = point["runs"], repetitions.count >= 2,
           repetitions.allSatisfy({ !$0.numericMetrics().isEmpty }) {
            addRuns(repetitions.map { $0["figures"] ?? $0 }, prefix: label)
        } else if let figures = point["figures"] {
            for (path, value) in figures.numericMetrics(prefix: label) { append(path, [value]) }
        } else {
            for (path, value) in point.numericMetrics(prefix: label) { append(path, [value]) }
        }
    }

    private mutating func append(_ path: String, _ values: [Double]) {
        if let position = index[path] {
            metrics[position].values += values
        } else {
            index[path] = metrics.count
            metrics.append((path, values))
        }
    }
}
