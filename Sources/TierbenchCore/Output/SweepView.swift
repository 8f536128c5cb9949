/// A read-only view of sweep.json for the output formats: curves of points by workers, knees, recommendations.
///
/// It reads the JSON rather than the Sweep types so reports work on saved files and tolerate fields added
/// later. Points: `points[].settings.{tier, model, batch_size, rate, max_workers}` and `points[].figures`
/// (`requests_per_s`, `goodput_requests_per_s`, `error_rate_final`, `p95_ms`, …; a flat point or a `summary`
/// object with summary.json's names also works). Knees: `curves[]` or `analysis[]` entries naming the curve
/// (`tier`, `batch_size`, optionally inside `key`) with `throughput_knee`, `error_knee`, `latency_knee` (a worker
/// count, or an object with `max_workers`). Recommendation: `recommendation.<tier>.{max_workers, batch_size,
/// reason}`.
public struct SweepView: Sendable {
    /// One measured point.
    public struct Point: Sendable, Hashable {
        public var tier: String
        public var model: String
        public var batchSize: Int
        /// Open-loop rate (requests/s), nil for closed loop.
        public var rate: Double?
        public var maxWorkers: Int
        /// Completed requests per second.
        public var requestsPerS: Double?
        /// Successful requests per second within the SLO.
        public var goodputPerS: Double?
        /// Final-outcome error rate, 0…1.
        public var errorRate: Double?
        /// Latency p95 (ms).
        public var p95Ms: Double?

        /// `tier2/b1/w8` (with `/r5` for an open-loop rate): a stable label for comparisons and CSV.
        public var label: String {
            var text = "\(tier)/b\(batchSize)/w\(maxWorkers)"
            if let rate { text += "/r" + ReportNumber.plain(rate).replacingOccurrences(of: ".", with: "_") }
            return text
        }

        /// The curve this point belongs to.
        public var curveLabel: String {
            var text = "\(tier) · batch \(batchSize)"
            if let rate { text += " · \(ReportNumber.plain(rate))/s" }
            return text
        }

        /// Reads one entry of `points`; nil when it has no worker count.
        public init?(_ json: JSONValue) {
            let settings = json["settings"] ?? json
            guard let workers = settings["max_workers"]?.metricInt ?? settings["workers"]?.metricInt else {
                return nil
            }
            maxWorkers = workers
            tier = SweepView.label(settings["tier"]) ?? "default"
            if case .string(let name)? = settings["model"] { model = name } else { model = "" }
            batchSize = settings["batch_size"]?.metricInt ?? 1
            rate = settings["rate"]?.metricNumber
            let figures = json["figures"] ?? json["summary"] ?? json
            func first(_ paths: String...) -> Double? {
                for path in paths { if let value = figures.metricValue(at: path)?.metricNumber { return value } }
                return nil
            }
            requestsPerS = first("requests_per_s", "throughput.requests_per_s")
            goodputPerS = first("goodput_requests_per_s", "successful_requests_per_s", "throughput.succeeded_per_s")
            errorRate = first("error_rate_final", "error_rate", "error_rate_per_attempt")
            p95Ms = first("p95_ms", "latency_ms.p95")
        }
    }

    /// The points sharing tier, model, batch size and rate, by workers ascending, with their knees.
    public struct Curve: Sendable, Hashable {
        public var label: String
        public var tier: String
        public var batchSize: Int
        public var points: [Point]
        /// Worker counts of the knees, when the analysis found them.
        public var throughputKnee: Int?
        public var errorKnee: Int?
        public var latencyKnee: Int?
    }

    /// The recommendation for one tier.
    public struct Recommendation: Sendable, Hashable {
        public var tier: String
        public var maxWorkers: Int?
        public var batchSize: Int?
        public var reason: String?
    }

    public var curves: [Curve]
    public var recommendations: [Recommendation]

    /// Reads a sweep; nil when `json` has no `points` array with at least one readable point.
    public init?(_ json: JSONValue) {
        guard case .array(let items)? = json["points"] else { return nil }
        let points = items.compactMap(Point.init)
        guard !points.isEmpty else { return nil }
        var order: [String] = []
        var grouped: [String: [Point]] = [:]
        for point in points {
            if grouped[point.curveLabel] == nil { order.append(point.curveLabel) }
            grouped[point.curveLabel, default: []].append(point)
        }
        let analyses = Self.analysisEntries(json)
        curves = order.compactMap { label in
            guard let members = grouped[label], let first = members.first else { return nil }
            var curve = Curve(
                label: label, tier: first.tier, batchSize: first.batchSize,
                points: members.sorted { $0.maxWorkers < $1.maxWorkers })
            if let entry = analyses.first(where: { Self.matches($0, tier: first.tier, batchSize: first.batchSize) }) {
                curve.throughputKnee = Self.workers(entry, "throughput_knee", "knee")
                curve.errorKnee = Self.workers(entry, "error_knee")
                curve.latencyKnee = Self.workers(entry, "latency_knee")
            }
            return curve
        }
        recommendations = Self.readRecommendations(json["recommendation"] ?? json["recommendations"])
    }

    /// The recommendation for `tier`, if any.
    public func recommendation(for tier: String) -> Recommendation? {
        recommendations.first { $0.tier == tier }
    }

    static func label(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .object?: if case .string(let text)? = value?["label"] { return text } else { return nil }
        default: return nil
        }
    }

    private static func analysisEntries(_ json: JSONValue) -> [JSONValue] {
        for key in ["curves", "analysis", "knees"] {
            if case .array(let entries)? = json[key] { return entries }
        }
        return []
    }

    private static func matches(_ entry: JSONValue, tier: String, batchSize: Int) -> Bool {
        let key = entry["key"] ?? entry
        guard label(key["tier"]) == tier else { return false }
        return key["batch_size"]?.metricNumber.map { Int($0) == batchSize } ?? true
    }

    private static func workers(_ entry: JSONValue, _ keys: String...) -> Int? {
        let containers = [entry, entry["knees"] ?? .null, entry["analysis"] ?? .null]
        for container in containers {
            for key in keys {
                guard let value = container[key] else { continue }
                if let number = value.metricNumber { return Int(number) }
                if let number = (value["max_workers"] ?? value["workers"])?.metricNumber { return Int(number) }
            }
        }
        return nil
    }

    private static func readRecommendations(_ json: JSONValue?) -> [Recommendation] {
        func read(_ tier: String, _ value: JSONValue) -> Recommendation {
            var reason: String?
            if case .string(let text)? = value["reason"] { reason = text }
            return Recommendation(
                tier: tier, maxWorkers: value["max_workers"]?.metricNumber.map { Int($0) },
                batchSize: value["batch_size"]?.metricNumber.map { Int($0) }, reason: reason)
        }
        switch json {
        case .object(let members)?:
            return members.map { read($0.key, $0.value) }
        case .array(let entries)?:
            return entries.compactMap { entry in label(entry["tier"]).map { read($0, entry) } }
        default:
            return []
        }
    }
}
