/// Dotted metric paths (`latency_ms.p95`, `status_counts.429`, `recommendation.tier2.max_workers`) into a
/// summary's or a sweep's JSON, as thresholds and comparisons name metrics.
extension JSONValue {
    /// The value at a dotted `path`, or nil when some segment is missing.
    ///
    /// Object keys may themselves contain dots: at each level the longest run of segments that names a key wins.
    /// A segment that is a non-negative integer indexes into an array.
    public func metricValue(at path: String) -> JSONValue? {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !segments.isEmpty, !segments.contains(where: \.isEmpty) else { return nil }
        return Self.lookup(segments[...], in: self)
    }

    private static func lookup(_ segments: ArraySlice<String>, in value: JSONValue) -> JSONValue? {
        guard let first = segments.first else { return value }
        switch value {
        case .object(let members):
            var end = segments.endIndex
            while end > segments.startIndex {
                let key = segments[segments.startIndex..<end].joined(separator: ".")
                if let member = members.first(where: { $0.key == key }) {
                    if let found = lookup(segments[end...], in: member.value) { return found }
                }
                end -= 1
            }
            return nil
        case .array(let items):
            guard let index = Int(first), index >= 0, index < items.count else { return nil }
            return lookup(segments.dropFirst(), in: items[index])
        default:
            return nil
        }
    }

    /// This value as a number: ints and doubles as they are, booleans as 1 and 0; nil for anything else.
    /// `metricNumber` as a whole number for counts read back from a file: NaN and ±infinity are nil, anything
    /// beyond ±9·10¹⁵ is clamped there (so `Int(...)` of a hostile summary value never traps), fractions truncate.
    public var metricInt: Int? {
        guard let value = metricNumber, value.isFinite else { return nil }
        return Int(Swift.max(-9e15, Swift.min(9e15, value)))
    }

    public var metricNumber: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value.isFinite ? value : nil
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    /// Object keys skipped when listing metrics: the scenario as run, raw histograms and per-second series are
    /// inputs to charts, not figures to gate on or compare.
    public static let nonMetricKeys: Set<String> = [
        "scenario", "histogram", "histograms", "time_series", "timeseries", "series", "percentiles",
        "latency_distribution", "tool_version", "version", "schema_version", "started_at", "ended_at",
        "start", "end", "points", "runs", "config", "settings", "hdr", "encoded",
    ]

    /// Every numeric leaf reachable through objects (not arrays), in document order, as (path, value).
    ///
    /// Keys in `nonMetricKeys` are skipped; `prefix` is prepended to every path.
    public func numericMetrics(prefix: String = "") -> [(path: String, value: Double)] {
        var out: [(path: String, value: Double)] = []
        collectNumbers(prefix: prefix, into: &out)
        return out
    }

    private func collectNumbers(prefix: String, into out: inout [(path: String, value: Double)]) {
        switch self {
        case .object(let members):
            for member in members where !Self.nonMetricKeys.contains(member.key) {
                let path = prefix.isEmpty ? member.key : prefix + "." + member.key
                member.value.collectNumbers(prefix: path, into: &out)
            }
        case .int, .double, .bool:
            if let number = metricNumber, !prefix.isEmpty { out.append((prefix, number)) }
        default:
            break
        }
    }

    /// Every path that names a leaf or an object (not descending into arrays), for did-you-mean hints.
    public func metricPaths(prefix: String = "") -> [String] {
        guard case .object(let members) = self else { return [] }
        var out: [String] = []
        for member in members where !Self.nonMetricKeys.contains(member.key) {
            let path = prefix.isEmpty ? member.key : prefix + "." + member.key
            out.append(path)
            out += member.value.metricPaths(prefix: path)
        }
        return out
    }
}
