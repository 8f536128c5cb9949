import Foundation
import TierbenchCore

/// Resolves `--shard I/N`, `--shard auto`, `--shards N` and the `TIERBENCH_SHARD` variable into a
/// `ShardAssignment` (docs/scenarios.md "Sharded runs").
///
/// Order of precedence:
/// 1. `--shard I/N` (with `--shards N`, the counts must agree);
/// 2. `--shard auto`, or `--shards N` alone: the first of
///    `TIERBENCH_SHARD=I/N`; `SLURM_PROCID` + `SLURM_NTASKS` when `SLURM_NTASKS` > 1 (one `srun` step of N tasks);
///    `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` (0 when unset) + `SLURM_ARRAY_TASK_COUNT` (a job array; one
///    with `SLURM_ARRAY_TASK_STEP` > 1 is refused: its IDs are not a dense index);
///    `SLURM_PROCID` + `SLURM_NTASKS` (a single task); `PSSH_NODENUM` + `PSSH_NUMNODES` (pssh);
///    `JOB_COMPLETION_INDEX` (a Kubernetes indexed Job) or `NOMAD_ALLOC_INDEX` (Nomad), whose count is `--shards N`.
///    A count from the engine and `--shards N` must agree;
/// 3. neither flag: `TIERBENCH_SHARD=I/N` when set, else an unsharded run.
public enum ShardEnvironment {
    /// - Parameter shard: `--shard`'s value (`I/N` or `auto`); nil when not given.
    /// - Parameter shards: `--shards N`; nil when not given.
    /// - Returns: nil for an unsharded run.
    public static func resolve(shard: String?, shards: Int?, environment: [String: String]) throws(ShardError)
        -> ShardAssignment?
    {
        if let shards, !(1...ShardSlice.maxCount).contains(shards) {
            throw ShardError("--shards must be between 1 and \(ShardSlice.maxCount), got \(shards)")
        }
        if let shard, shard != "auto" {
            let slice = try ShardSlice.parse(shard, name: "--shard")
            if let shards, shards != slice.count {
                throw ShardError("--shard \(shard) says \(slice.count) shards but --shards says \(shards); give one")
            }
            return ShardAssignment(slice: slice, source: "flag")
        }
        if shard == nil, shards == nil {
            guard let text = environment["TIERBENCH_SHARD"], !text.isEmpty else { return nil }
            return ShardAssignment(slice: try ShardSlice.parse(text, name: "TIERBENCH_SHARD"), source: "TIERBENCH_SHARD")
        }
        let assignment = try detect(environment, shards: shards)
        if let shards, shards != assignment.slice.count {
            throw ShardError(
                "--shards \(shards) disagrees with \(assignment.source), which gives \(assignment.slice.count) shards; "
                    + "drop --shards or fix the job's task count")
        }
        return assignment
    }

    /// The variables `--shard auto` looks at, in order.
    public static let indexVariables = [
        "TIERBENCH_SHARD", "SLURM_PROCID", "SLURM_ARRAY_TASK_ID", "PSSH_NODENUM", "JOB_COMPLETION_INDEX",
        "NOMAD_ALLOC_INDEX",
    ]

    private static func detect(_ env: [String: String], shards: Int?) throws(ShardError) -> ShardAssignment {
        if let text = env["TIERBENCH_SHARD"], !text.isEmpty {
            return ShardAssignment(slice: try ShardSlice.parse(text, name: "TIERBENCH_SHARD"), source: "TIERBENCH_SHARD")
        }
        let slurmTasks = try number("SLURM_NTASKS", env)
        if let tasks = slurmTasks, tasks > 1, let procid = try number("SLURM_PROCID", env) {
            return try assignment(index: procid, count: tasks, source: "SLURM_PROCID", countName: "SLURM_NTASKS")
        }
        if let task = try number("SLURM_ARRAY_TASK_ID", env) {
            guard let count = try number("SLURM_ARRAY_TASK_COUNT", env) else {
                throw ShardError(
                    "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard I/N instead")
            }
            // `--array=0-15:4` runs IDs 0, 4, 8, 12: ID − MIN is not a dense 0…COUNT−1 index.
            if let step = try number("SLURM_ARRAY_TASK_STEP", env), step > 1 {
                throw ShardError(
                    "SLURM_ARRAY_TASK_STEP is \(step): a job array with a step (--array=A-B:\(step)) has no dense "
                        + "shard index; use --array=0-<N-1> without a step, or pass --shard I/N")
            }
            let minimum = try number("SLURM_ARRAY_TASK_MIN", env) ?? 0
            return try assignment(
                index: task - minimum, count: count, source: "SLURM_ARRAY_TASK_ID",
                countName: "SLURM_ARRAY_TASK_COUNT (index = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN)")
        }
        if let procid = try number("SLURM_PROCID", env) {
            guard let tasks = slurmTasks else {
                throw ShardError("SLURM_PROCID is set but SLURM_NTASKS is not; pass --shard I/N instead")
            }
            return try assignment(index: procid, count: tasks, source: "SLURM_PROCID", countName: "SLURM_NTASKS")
        }
        if let node = try number("PSSH_NODENUM", env) {
            guard let nodes = try number("PSSH_NUMNODES", env) else {
                throw ShardError("PSSH_NODENUM is set but PSSH_NUMNODES is not; pass --shard I/N instead")
            }
            return try assignment(index: node, count: nodes, source: "PSSH_NODENUM", countName: "PSSH_NUMNODES")
        }
        for variable in ["JOB_COMPLETION_INDEX", "NOMAD_ALLOC_INDEX"] {
            guard let index = try number(variable, env) else { continue }
            guard let shards else {
                throw ShardError("\(variable) gives the shard index but not the count; pass --shards N as well")
            }
            return try assignment(index: index, count: shards, source: variable, countName: "--shards")
        }
        throw ShardError(
            "--shard auto found no shard index in the environment (looked for "
                + indexVariables.joined(separator: ", ") + "); pass --shard I/N")
    }

    private static func assignment(index: Int, count: Int, source: String, countName: String) throws(ShardError)
        -> ShardAssignment
    {
        ShardAssignment(
            slice: try ShardSlice(index: index, count: count, name: "\(source)=\(index) with \(countName)=\(count)"),
            source: source)
    }

    /// A whole-number variable; nil when unset or empty.
    private static func number(_ name: String, _ env: [String: String]) throws(ShardError) -> Int? {
        guard let raw = env[name] else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        guard let value = Int(text), value >= 0, value <= 1_000_000 else {
            throw ShardError("\(name)='\(raw)' is not a whole number between 0 and 1000000; unset it or pass --shard I/N")
        }
        return value
    }
}
