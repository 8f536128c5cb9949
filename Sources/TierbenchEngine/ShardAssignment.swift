import TierbenchCore

/// Which slice of a sharded run this process is, and where that came from (summary.json `shard.source`).
public struct ShardAssignment: Sendable, Equatable {
    public var slice: ShardSlice
    /// `flag` for `--shard I/N`, else the variable that gave the index (`SLURM_PROCID`, `JOB_COMPLETION_INDEX`, …).
    public var source: String

    public init(slice: ShardSlice, source: String) {
        self.slice = slice
        self.source = source
    }
}
