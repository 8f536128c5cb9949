import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// `tierbench run` with the shard flags, as a child process (skipped when the executable is not built).
@Suite("tierbench run --shard / --shards / --start-at on the command line", .serialized, .enabled(if: CLI.binary != nil))
struct ShardCLITests {
    @Test("bad shard and start flags exit 64 with an error naming the flag")
    func badFlags() throws {
        let test = try GateRunTests.scenario("thresholds: [\"latency_ms.p95 < 1us\"]")
        defer { test.cleanup() }
        let cases: [([String], String)] = [
            (["--shard", "4/4"], "--shard"), (["--shard", "x"], "--shard"), (["--shards", "0"], "--shards"),
            (["--shard", "1/4", "--shards", "3"], "--shards"), (["--start-at", "yesterday"], "--start-at"),
            (["--start-at", "+2d"], "--start-at"), (["--start-tolerance", "2s"], "--start-at"),
            (["--shard", "0/2", "--baseline", test.directory], "--baseline"),
        ]
        for (flags, name) in cases {
            let result = try CLI.run(["run", test.path, "--output", test.output] + flags)
            #expect(result.code == ExitCodes.usage, "\(flags): \(result.output)")
            #expect(result.output.contains(name), "\(flags): \(result.output)")
        }
        if ShardEnvironment.indexVariables.allSatisfy({ ProcessInfo.processInfo.environment[$0] == nil }) {
            let auto = try CLI.run(["run", test.path, "--output", test.output, "--shard", "auto"])
            #expect(auto.code == ExitCodes.usage)
            #expect(auto.output.contains("SLURM_PROCID") && auto.output.contains("--shard I/N"), "\(auto.output)")
        }
    }

    @Test("a start time long past is refused before anything is sent")
    func startAtPast() throws {
        let test = try GateRunTests.scenario("thresholds: [\"latency_ms.p95 < 1us\"]")
        defer { test.cleanup() }
        let result = try CLI.run(["run", test.path, "--output", test.output, "--start-at", "2020-01-01T00:00:00Z"])
        #expect(result.code == ExitCodes.runFailed, "\(result.output)")
        #expect(result.output.contains("--start-tolerance") && result.output.contains("nothing was sent"))
        #expect(!FileManager.default.fileExists(atPath: test.output + "/summary.json"))
    }

    @Test("Ctrl-C while waiting for --start-at exits 130 at once and sends nothing")
    func interruptDuringWait() throws {
        let test = try GateRunTests.scenario("thresholds: [\"latency_ms.p95 < 1us\"]")
        defer { test.cleanup() }
        let binary = try #require(CLI.binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", test.path, "--output", test.output, "--start-at", "+60s", "--progress", "off"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Until the wait has begun, the scenario is loaded and the mock started: poll for the partial request log.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !FileManager.default.fileExists(atPath: test.output) { usleep(20_000) }
        usleep(300_000)
        let sent = Date()
        process.interrupt()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == ExitCodes.interrupted, "\(output)")
        #expect(Date().timeIntervalSince(sent) < 10)
        #expect(output.contains("interrupted while waiting for --start-at"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: test.output + "/summary.json"))
    }

    @Test("a shard with a failing threshold exits 0, prints the note and writes its shard block")
    func shardExitsZero() throws {
        let test = try GateRunTests.scenario("thresholds: [\"latency_ms.p95 < 1us\"]")
        defer { test.cleanup() }
        let result = try CLI.run(["run", test.path, "--output", test.output, "--shard", "1/2", "--start-at", "+0.2s"])
        #expect(result.code == 0, "\(result.output)")
        #expect(result.output.contains("shard 1/2: thresholds are judged by `tierbench merge`"), "\(result.output)")
        #expect(!result.output.contains("FAIL"))
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(test.read("summary.json").utf8))
        let shard = try #require(summary.shard)
        #expect(shard.index == 1 && shard.count == 2 && shard.source == "flag")
        #expect(shard.totalRequests == 120 && shard.requests == 60 && summary.requests.total == 60)
        #expect(shard.startAt != nil && shard.firstSendOffsetMs != nil)
    }
}
