/// The wall-clock spans of a merged result (docs/distributed.md, "Rates over the union window").
///
/// Shard i's run starts at its origin oᵢ (`shard.origin_unix_ns`, monotonic time 0 of that shard); its measured window
/// is [oᵢ + warmup, oᵢ + warmup + measured_window_sᵢ]. The merged measured window runs from the earliest window start to
/// the latest window end over shards that measured at least one request; the merged run from min oᵢ to
/// max(oᵢ + duration_sᵢ).
struct UnionWindow {
    var measuredStart: Int64
    var measuredEnd: Int64
    var runStart: Int64
    var runEnd: Int64

    // In Double: origins come from files, and an Int64 difference of two extreme values would trap.
    var measuredSeconds: Double { (Double(measuredEnd) - Double(measuredStart)) / 1e9 }
    var runSeconds: Double { (Double(runEnd) - Double(runStart)) / 1e9 }

    init(_ set: ShardSet) {
        func nanos(_ seconds: Double) -> Int64 {
            let value = (seconds * 1e9).rounded()
            return value.isFinite && value >= 0 && value < 9e18 ? Int64(value) : 0
        }
        var starts: [Int64] = []
        var ends: [Int64] = []
        var runEnds: [Int64] = []
        for member in set.members {
            let origin = member.shard.originUnixNs
            runEnds.append(origin &+ nanos(member.summary.durationS))
            guard member.summary.requests.total > 0 else { continue }
            let start = origin &+ Self.warmupNanos(member.summary.scenario)
            starts.append(start)
            ends.append(start &+ nanos(member.summary.measuredWindowS))
        }
        runStart = set.members.map(\.shard.originUnixNs).min() ?? 0
        runEnd = max(runEnds.max() ?? runStart, runStart)
        measuredStart = starts.min() ?? runStart
        measuredEnd = max(ends.max() ?? measuredStart, measuredStart)
    }

    /// `load.warmup` of the scenario as run (ns); 0 when absent.
    static func warmupNanos(_ scenario: JSONValue) -> Int64 {
        guard case .string(let text)? = scenario["load"]?["warmup"], let span = TimeSpan.parse(text) else { return 0 }
        return max(span.nanoseconds, 0)
    }
}
