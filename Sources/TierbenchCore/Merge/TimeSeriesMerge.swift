/// Aligns the shards' time series on wall-clock seconds (docs/distributed.md, "Time series").
///
/// Shard i's bucket k covers [oᵢ + k·w, oᵢ + (k+1)·w) of wall-clock time (oᵢ = `shard.origin_unix_ns`, w = `bucket_s`);
/// it lands in merged bucket k + round((oᵢ − o_min) / w), where o_min is the earliest origin. Requests, errors and
/// 429s are summed; the latency mean is re-weighted by each bucket's successes. Windowed percentiles and
/// `sessions_active` cannot be merged from per-bucket figures and are left out (named in `merge.dropped`).
enum TimeSeriesMerge {
    static func merge(_ set: ShardSet, origin: Int64, dropped: inout [String]) throws(MergeError)
        -> RunSummary.TimeSeries
    {
        let width = set.members[0].summary.timeSeries.bucketS
        guard set.members.allSatisfy({ $0.summary.timeSeries.bucketS == width }), width >= 0.001, width <= 86_400 else {
            throw .timeSeriesMismatch(set.members.map { "\($0.path): bucket_s \($0.summary.timeSeries.bucketS)" })
        }
        let widthNanos = width * 1e9
        var requests: [Int] = []
        var errors: [Int] = []
        var limited: [Int] = []
        var latencySum: [Double] = []
        func grow(to count: Int) {
            while requests.count < count {
                requests.append(0)
                errors.append(0)
                limited.append(0)
                latencySum.append(0)
            }
        }
        for member in set.members {
            let series = member.summary.timeSeries
            let shiftValue = ((Double(member.shard.originUnixNs) - Double(origin)) / widthNanos).rounded()
            // Origins more than a day apart would need a huge series; the shift is clamped to keep it bounded.
            let shift = shiftValue.isFinite ? Int(min(max(shiftValue, 0), min(86_400 / width, 100_000))) : 0
            let length = min(series.requests.count, series.errors.count, series.rateLimited.count, series.latencyMeanMs.count)
            grow(to: shift + length)
            for bucket in 0..<length {
                let slot = shift + bucket
                requests[slot] &+= series.requests[bucket]
                errors[slot] &+= series.errors[bucket]
                limited[slot] &+= series.rateLimited[bucket]
                let successes = series.requests[bucket] - series.errors[bucket]
                latencySum[slot] += series.latencyMeanMs[bucket] * Double(max(successes, 0))
            }
        }
        let means = requests.indices.map { slot in
            let successes = requests[slot] - errors[slot]
            return successes > 0 ? RunSummary.rounded(latencySum[slot] / Double(successes)) : 0
        }
        if set.members.contains(where: { $0.summary.timeSeries.latencyP50Ms != nil }) {
            dropped += ["time_series.latency_p50_ms", "time_series.latency_p95_ms", "time_series.latency_p99_ms"]
        }
        if set.members.contains(where: { $0.summary.timeSeries.sessionsActive != nil }) {
            dropped.append("time_series.sessions_active")
        }
        return RunSummary.TimeSeries(
            bucketS: width, requests: requests, errors: errors, rateLimited: limited, latencyMeanMs: means)
    }
}
