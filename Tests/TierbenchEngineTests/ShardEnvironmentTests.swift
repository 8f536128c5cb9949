import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

@Suite("Sharded runs: --shard, --shards and the job engines' variables")
struct ShardEnvironmentTests {
    private func resolve(_ shard: String? = "auto", shards: Int? = nil, _ env: [String: String]) throws(ShardError)
        -> ShardAssignment?
    {
        try ShardEnvironment.resolve(shard: shard, shards: shards, environment: env)
    }

    /// The error's message; fails the test when nothing was thrown.
    private func message(_ body: () throws(ShardError) -> ShardAssignment?) -> String {
        do {
            let result = try body()
            Issue.record("no error; got \(String(describing: result))")
            return ""
        } catch {
            return error.message
        }
    }

    @Test("no flag and no TIERBENCH_SHARD: unsharded, whatever the engine variables say")
    func unsharded() throws {
        #expect(try resolve(nil, ["SLURM_PROCID": "1", "SLURM_NTASKS": "4", "JOB_COMPLETION_INDEX": "2"]) == nil)
        #expect(try resolve(nil, [:]) == nil)
    }

    @Test("--shard I/N wins over the environment; --shards must agree with it")
    func flag() throws {
        let env = ["SLURM_PROCID": "3", "SLURM_NTASKS": "4", "TIERBENCH_SHARD": "0/2"]
        #expect(try resolve("1/3", env) == ShardAssignment(slice: try ShardSlice(index: 1, count: 3), source: "flag"))
        #expect(try resolve("1/3", shards: 3, env)?.slice.count == 3)
        #expect(message { () throws(ShardError) in try resolve("1/3", shards: 4, env) }.contains("--shards"))
        #expect(message { () throws(ShardError) in try resolve("3/3", [:]) }.contains("--shard"))
        #expect(message { () throws(ShardError) in try resolve("1/3", shards: 0, [:]) }.contains("--shards"))
        #expect(message { () throws(ShardError) in try resolve(nil, shards: 1025, [:]) }.contains("--shards"))
    }

    @Test("TIERBENCH_SHARD alone shards the run; a bad value names the variable")
    func tierbenchShard() throws {
        #expect(try resolve(nil, ["TIERBENCH_SHARD": "2/5"])
            == ShardAssignment(slice: try ShardSlice(index: 2, count: 5), source: "TIERBENCH_SHARD"))
        #expect(message { () throws(ShardError) in try resolve(nil, ["TIERBENCH_SHARD": "5/5"]) }
            .contains("TIERBENCH_SHARD"))
        #expect(message { () throws(ShardError) in try resolve(nil, ["TIERBENCH_SHARD": "two"]) }
            .contains("TIERBENCH_SHARD"))
    }

    @Test("every engine: index and count, and the variable recorded as the source", arguments: [
        (["SLURM_PROCID": "2", "SLURM_NTASKS": "4"], 2, 4, "SLURM_PROCID"),
        (["SLURM_PROCID": "0", "SLURM_NTASKS": "1", "SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "5"],
         3, 5, "SLURM_ARRAY_TASK_ID"),
        (["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "10"],
         2, 4, "SLURM_ARRAY_TASK_ID"),
        (["SLURM_PROCID": "0", "SLURM_NTASKS": "1"], 0, 1, "SLURM_PROCID"),
        (["PSSH_NODENUM": "6", "PSSH_NUMNODES": "7"], 6, 7, "PSSH_NODENUM"),
        (["TIERBENCH_SHARD": "1/2", "SLURM_PROCID": "3", "SLURM_NTASKS": "4"], 1, 2, "TIERBENCH_SHARD"),
    ])
    func engines(env: [String: String], index: Int, count: Int, source: String) throws {
        let assignment = try #require(try resolve("auto", env))
        #expect(assignment.slice.index == index)
        #expect(assignment.slice.count == count)
        #expect(assignment.source == source)
        // --shards alone means --shard auto; with the engine's own count it must agree.
        #expect(try resolve(nil, shards: count, env) == assignment)
        #expect(message { () throws(ShardError) in try resolve(nil, shards: count + 1, env) }.contains(source))
    }

    @Test("JOB_COMPLETION_INDEX and NOMAD_ALLOC_INDEX need --shards for the count", arguments: [
        "JOB_COMPLETION_INDEX", "NOMAD_ALLOC_INDEX",
    ])
    func indexOnly(variable: String) throws {
        let assignment = try #require(try resolve(nil, shards: 8, [variable: "5"]))
        #expect(assignment == ShardAssignment(slice: try ShardSlice(index: 5, count: 8), source: variable))
        #expect(message { () throws(ShardError) in try resolve("auto", [variable: "5"]) }.contains("--shards"))
        #expect(message { () throws(ShardError) in try resolve("auto", shards: 5, [variable: "5"]) }.contains(variable))
    }

    @Test("bad values are refused with the variable's name", arguments: [
        (["SLURM_PROCID": "4", "SLURM_NTASKS": "4"], "SLURM_PROCID"),
        (["SLURM_PROCID": "x", "SLURM_NTASKS": "4"], "SLURM_PROCID"),
        (["SLURM_PROCID": "1", "SLURM_NTASKS": "-2"], "SLURM_NTASKS"),
        (["SLURM_PROCID": "1"], "SLURM_NTASKS"),
        (["SLURM_PROCID": "0", "SLURM_NTASKS": "2000"], "SLURM_NTASKS"),
        (["SLURM_ARRAY_TASK_ID": "3"], "SLURM_ARRAY_TASK_COUNT"),
        (["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3"], "SLURM_ARRAY_TASK_ID"),
        (["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "2"], "SLURM_ARRAY_TASK_ID"),
        (["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "?"], "SLURM_ARRAY_TASK_MIN"),
        (["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_STEP": "4"],
         "SLURM_ARRAY_TASK_STEP"),
        (["PSSH_NODENUM": "1"], "PSSH_NUMNODES"),
        (["PSSH_NODENUM": "9", "PSSH_NUMNODES": "3"], "PSSH_NODENUM"),
        (["PSSH_NODENUM": "99999999999999999999", "PSSH_NUMNODES": "3"], "PSSH_NODENUM"),
        (["JOB_COMPLETION_INDEX": "1.5"], "JOB_COMPLETION_INDEX"),
        (["NOMAD_ALLOC_INDEX": "-1"], "NOMAD_ALLOC_INDEX"),
        ([:], "TIERBENCH_SHARD, SLURM_PROCID"),
    ])
    func badValues(env: [String: String], name: String) {
        let text = message { () throws(ShardError) in try resolve("auto", env) }
        #expect(text.contains(name), "\(text)")
    }
}
