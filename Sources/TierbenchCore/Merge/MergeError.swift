/// Why `tierbench merge` refused a set of shard results (docs/distributed.md, "What merge refuses"). Each case names
/// the files involved and has a documented exit code (docs/ci.md).
public enum MergeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No result was given.
    case noResults
    /// A file could not be read or is not a valid summary.json (exit 65).
    case unreadable(path: String, reason: String)
    /// A result has no `shard` block: it is an unsharded run or already a merged result (exit 66).
    case notAShard(path: String)
    /// The shards come from different scenarios or plans (`shard.plan_key` differs) (exit 66).
    case differentPlans([ShardLabel])
    /// The shards disagree on the number of shards in the plan (exit 66).
    case differentCounts([ShardLabel])
    /// Two results claim the same shard index (exit 67).
    case duplicateShard(index: Int, paths: [String])
    /// Some indices of 0 ..< count have no result (exit 67).
    case missingShards(missing: [Int], count: Int)
    /// A histogram's layout differs between shards, so the histograms cannot be added (exit 66).
    case histogramLayoutMismatch(histogram: String, layouts: [String])
    /// A histogram is inconsistent (its max does not fit its own layout, or its buckets are corrupt) (exit 65).
    case invalidHistogram(histogram: String, path: String, reason: String)
    /// The shards' time series use different bucket widths (exit 66).
    case timeSeriesMismatch([String])
    /// The shards are from different runs of the same plan: their `start_at` differs, or their origins are further
    /// apart than the run lasted (exit 66).
    case differentRuns(reason: String, shards: [String])

    /// A shard as error messages name it: its file, index and plan key.
    public struct ShardLabel: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var index: Int
        public var count: Int
        public var planKey: String

        public init(path: String, index: Int, count: Int, planKey: String) {
            self.path = path
            self.index = index
            self.count = count
            self.planKey = planKey
        }

        public var description: String { "\(path) (shard \(index)/\(count), plan_key \(planKey))" }
    }

    /// 65: unreadable or invalid input; 66: the shards do not belong together (plans, counts, histogram layouts,
    /// time-series buckets, different runs, a result without a shard block); 67: a missing or duplicate shard.
    public var exitCode: Int32 {
        switch self {
        case .noResults: return 64
        case .unreadable, .invalidHistogram: return 65
        case .notAShard, .differentPlans, .differentCounts, .histogramLayoutMismatch, .timeSeriesMismatch,
            .differentRuns:
            return 66
        case .duplicateShard, .missingShards: return 67
        }
    }

    public var description: String {
        switch self {
        case .noResults:
            return "merge needs at least one shard result: pass result folders (each with summary.json) or a folder "
                + "holding shard-*/ folders"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notAShard(let path):
            return "\(path) has no `shard` block: it is an unsharded run or an already merged result. Merge only "
                + "the results of `tierbench run --shard I/N` (or --shard auto / --shards N)"
        case .differentPlans(let labels):
            return "these results are not shards of one plan (their plan_key differs: a different scenario, seed "
                + "or shard count): " + labels.map(\.description).joined(separator: "; ")
        case .differentCounts(let labels):
            return "these results disagree on the number of shards: " + labels.map(\.description).joined(separator: "; ")
        case .duplicateShard(let index, let paths):
            return "shard \(index) appears \(paths.count) times: " + paths.joined(separator: ", ")
                + ". Keep one result per shard index"
        case .missingShards(let missing, let count):
            return "missing shard" + (missing.count == 1 ? " " : "s ") + missing.map(String.init).joined(separator: ", ")
                + " of \(count): merge needs every shard 0…\(count - 1); the union of fewer shards is not the planned load"
        case .histogramLayoutMismatch(let histogram, let layouts):
            return "histogram `\(histogram)` has different layouts across shards, so it cannot be merged exactly: "
                + layouts.joined(separator: "; ") + ". Run every shard with the same tierbench version"
        case .invalidHistogram(let histogram, let path, let reason):
            return "\(path): histogram `\(histogram)` is invalid: \(reason)"
        case .timeSeriesMismatch(let widths):
            return "the shards' time series use different bucket widths: " + widths.joined(separator: "; ")
        case .differentRuns(let reason, let shards):
            return "these results are shards of the same plan but not of one run (\(reason)): "
                + shards.joined(separator: "; ") + ". Merge the shards of one run; give each run a fresh results folder"
        }
    }
}
