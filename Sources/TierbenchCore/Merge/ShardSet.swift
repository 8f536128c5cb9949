/// A checked, complete set of shard results of one plan, ordered by shard index (docs/distributed.md, "What merge
/// refuses").
public struct ShardSet: Sendable {
    /// One result as read: the file or folder it came from and its summary.
    public struct Member: Sendable {
        public var path: String
        public var summary: RunSummary
        /// The summary's `shard` block (checked present).
        public var shard: ShardInfo

        public init(path: String, summary: RunSummary, shard: ShardInfo) {
            self.path = path
            self.summary = summary
            self.shard = shard
        }
    }

    /// The most shards a plan may have (a range check on `shard.count` read from a file): the same bound as
    /// `--shard I/N`, `--shards N` and `export k8s-job --shards`.
    public static let maxCount = ShardSlice.maxCount

    /// Members by shard index 0 ..< count.
    public let members: [Member]
    public var count: Int { members.count }
    public var planKey: String { members[0].shard.planKey }

    /// Checks that `results` are every shard of one plan, once each.
    /// - Throws: `MergeError`: no results, a result without a shard block, a count or origin out of range
    ///   (`ShardSummaryCheck`), different plan keys or counts, an index out of range or twice, missing indices.
    public init(_ results: [(path: String, summary: RunSummary)]) throws(MergeError) {
        guard !results.isEmpty else { throw .noResults }
        var members: [Member] = []
        for result in results {
            guard let shard = result.summary.shard else { throw .notAShard(path: result.path) }
            try ShardSummaryCheck.check(result.summary, shard: shard, path: result.path)
            members.append(Member(path: result.path, summary: result.summary, shard: shard))
        }
        let labels = members.map {
            MergeError.ShardLabel(path: $0.path, index: $0.shard.index, count: $0.shard.count, planKey: $0.shard.planKey)
        }
        if Set(members.map(\.shard.planKey)).count > 1 { throw .differentPlans(labels) }
        if Set(members.map(\.shard.count)).count > 1 { throw .differentCounts(labels) }
        let count = members[0].shard.count
        guard (1...Self.maxCount).contains(count) else {
            throw .unreadable(path: members[0].path, reason: "shard.count is \(count); it must be 1…\(Self.maxCount)")
        }
        var byIndex: [Int: [Member]] = [:]
        for member in members {
            guard (0..<count).contains(member.shard.index) else {
                throw .unreadable(
                    path: member.path, reason: "shard.index is \(member.shard.index); it must be 0…\(count - 1)")
            }
            byIndex[member.shard.index, default: []].append(member)
        }
        if let (index, twice) = byIndex.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
            throw .duplicateShard(index: index, paths: twice.map(\.path))
        }
        let missing = (0..<count).filter { byIndex[$0] == nil }
        if !missing.isEmpty { throw .missingShards(missing: missing, count: count) }
        self.members = (0..<count).compactMap { byIndex[$0]?.first }
        try Self.checkOneRun(self.members)
    }

    /// Refuses shards of the same plan that come from different runs: their `start_at` differs (both present and
    /// unequal, or present in some only), or their origins lie further apart than the longest shard ran (the shards
    /// of one run overlap in time).
    static func checkOneRun(_ members: [Member]) throws(MergeError) {
        func label(_ member: Member, _ detail: String) -> String {
            "\(member.path) (shard \(member.shard.index), \(detail))"
        }
        let starts = Set(members.map { $0.shard.startAt ?? "" })
        if starts.count > 1 {
            throw .differentRuns(
                reason: "their start_at differs", shards: members.map { label($0, "start_at \($0.shard.startAt ?? "none")") })
        }
        let origins = members.map { Double($0.shard.originUnixNs) }
        let spreadSeconds = ((origins.max() ?? 0) - (origins.min() ?? 0)) / 1e9
        let longest = members.map(\.summary.durationS).max() ?? 0
        if spreadSeconds > longest {
            throw .differentRuns(
                reason: "their origins are \(RunSummary.rounded(spreadSeconds)) s apart, more than the longest shard's "
                    + "duration (\(RunSummary.rounded(longest)) s), so they did not run together; start every shard with "
                    + "one --start-at",
                shards: members.map { label($0, "origin_unix_ns \($0.shard.originUnixNs)") })
        }
    }
}
