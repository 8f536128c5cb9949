/// The `merge` block of a merged summary.json (docs/distributed.md, "The merged result"): which shards went in,
/// the window the rates are computed over, how far apart the shards started, and what could not be merged exactly.
/// Absent in a single run's summary.
public struct MergeInfo: Codable, Sendable, Hashable {
    /// One shard that went into the merge.
    public struct Shard: Codable, Sendable, Hashable {
        public var index: Int
        /// Where its index came from (`flag`, `SLURM_PROCID`, `JOB_COMPLETION_INDEX`, …).
        public var source: String
        public var host: String
        /// The result folder or file it was read from.
        public var path: String
        /// Wall-clock Unix time (ns) of the shard's run origin.
        public var originUnixNs: Int64
        /// First send minus `--start-at` (ms); nil without `--start-at`.
        public var firstSendOffsetMs: Double?
        /// The shard's measured requests and successes.
        public var requests: Int
        public var succeeded: Int
        /// The shard's own measured window (s).
        public var measuredWindowS: Double
        /// The shard's `self_check.trusted`; nil when it has no self_check block.
        public var trusted: Bool?

        enum CodingKeys: String, CodingKey {
            case index, source, host, path, requests, succeeded, trusted
            case originUnixNs = "origin_unix_ns", firstSendOffsetMs = "first_send_offset_ms"
            case measuredWindowS = "measured_window_s"
        }
    }

    /// The plan every shard shares (`shard.plan_key`) and its shard count.
    public var planKey: String
    public var count: Int
    public var shards: [Shard]
    /// Wall-clock start and end (Unix ns) of the union of the shards' measured windows: the rates' denominator.
    public var windowStartUnixNs: Int64
    public var windowEndUnixNs: Int64
    /// max − min of the shards' run origins (ms): how far apart they started, clock skew included.
    public var originSpreadMs: Double
    /// max − min of `first_send_offset_ms` (ms); nil unless every shard ran with `--start-at` and sent something.
    public var firstSendSpreadMs: Double?
    /// The unsharded plan's concurrency and the sum of the shards' shares (equal for a complete plan).
    public var totalWorkers: Int
    public var workersSum: Int
    /// Summary keys that cannot be merged exactly and were left out (e.g. `time_series.latency_p95_ms`).
    public var dropped: [String]

    enum CodingKeys: String, CodingKey {
        case count, shards, dropped
        case planKey = "plan_key", windowStartUnixNs = "window_start_unix_ns", windowEndUnixNs = "window_end_unix_ns"
        case originSpreadMs = "origin_spread_ms", firstSendSpreadMs = "first_send_spread_ms"
        case totalWorkers = "total_workers", workersSum = "workers_sum"
    }

    public init(
        planKey: String, count: Int, shards: [Shard], windowStartUnixNs: Int64, windowEndUnixNs: Int64,
        originSpreadMs: Double, firstSendSpreadMs: Double?, totalWorkers: Int, workersSum: Int, dropped: [String]
    ) {
        self.planKey = planKey
        self.count = count
        self.shards = shards
        self.windowStartUnixNs = windowStartUnixNs
        self.windowEndUnixNs = windowEndUnixNs
        self.originSpreadMs = originSpreadMs
        self.firstSendSpreadMs = firstSendSpreadMs
        self.totalWorkers = totalWorkers
        self.workersSum = workersSum
        self.dropped = dropped
    }
}
