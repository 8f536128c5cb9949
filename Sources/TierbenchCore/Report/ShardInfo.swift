/// The `shard` block of summary.json: which slice of a sharded run a result is, and what `tierbench merge` needs to
/// check that a set of shards belongs together and is complete (docs/distributed.md). Absent in unsharded runs.
///
/// A shard never judges thresholds or a baseline: only the merged result does.
public struct ShardInfo: Codable, Sendable, Hashable {
    /// This shard's index, 0 ..< `count`.
    public var index: Int
    /// Shards in the plan (≥ 1).
    public var count: Int
    /// Where index and count came from: `flag` (`--shard I/N`), or the engine variable that gave the index
    /// (`JOB_COMPLETION_INDEX`, `SLURM_PROCID`, `SLURM_ARRAY_TASK_ID`, `NOMAD_ALLOC_INDEX`, `PSSH_NODENUM`).
    public var source: String
    /// Identifies the plan: a hex digest of the unsharded scenario as run (defaults filled in, seed included) and
    /// `count`. Every shard of one plan has the same key; `merge` refuses results whose keys differ.
    public var planKey: String
    /// The unsharded plan's concurrency (closed-loop workers or open-loop `max_in_flight`) and this shard's share.
    public var totalWorkers: Int
    public var workers: Int
    /// The unsharded request budget (`requests`) and this shard's share; nil when the run is bounded by time only.
    public var totalRequests: Int?
    public var requests: Int?
    /// `--start-at` (ISO-8601 UTC) when given.
    public var startAt: String?
    /// First send's wall-clock time minus `start_at` (ms; positive = late). nil without `--start-at` or without a send.
    public var firstSendOffsetMs: Double?
    /// Wall-clock Unix time (ns) of this shard's run origin (monotonic time 0): `merge` aligns time series on it.
    public var originUnixNs: Int64
    /// Host name of the machine the shard ran on (for the merge report; never used to match shards).
    public var host: String
    /// Wall-clock Unix time (ns) of this shard's first and last measured send (`origin + t_first_send`); nil without
    /// a send. `merge` computes the achieved send rate over the union of the shards' send spans from them.
    public var firstSendUnixNs: Int64?
    public var lastSendUnixNs: Int64?

    enum CodingKeys: String, CodingKey {
        case index, count, source, workers, requests, host
        case planKey = "plan_key", totalWorkers = "total_workers", totalRequests = "total_requests"
        case startAt = "start_at", firstSendOffsetMs = "first_send_offset_ms", originUnixNs = "origin_unix_ns"
        case firstSendUnixNs = "first_send_unix_ns", lastSendUnixNs = "last_send_unix_ns"
    }

    public init(
        index: Int, count: Int, source: String, planKey: String, totalWorkers: Int, workers: Int,
        totalRequests: Int?, requests: Int?, startAt: String?, firstSendOffsetMs: Double?, originUnixNs: Int64,
        host: String, firstSendUnixNs: Int64? = nil, lastSendUnixNs: Int64? = nil
    ) {
        self.index = index
        self.count = count
        self.source = source
        self.planKey = planKey
        self.totalWorkers = totalWorkers
        self.workers = workers
        self.totalRequests = totalRequests
        self.requests = requests
        self.startAt = startAt
        self.firstSendOffsetMs = firstSendOffsetMs
        self.originUnixNs = originUnixNs
        self.host = host
        self.firstSendUnixNs = firstSendUnixNs
        self.lastSendUnixNs = lastSendUnixNs
    }
}
