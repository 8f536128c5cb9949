import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// Issue 11 items 10–12 through the executable: a run with no success exits 1, a bad `--baseline` is found before
/// anything is sent, an unlike baseline is refused (after the reports are written), and `--tolerance 10` is usage.
@Suite("gate inputs and total failures", .serialized, .enabled(if: CLI.binary != nil))
struct GateInputTests {
    @Test func aMissingBaselineIsFoundBeforeTheRun() throws {
        let test = try GateRunTests.scenario("")
        defer { test.cleanup() }
        let missing = test.directory + "/missing-baseline.json"
        let result = try CLI.run(["run", test.path, "--output", test.output, "--baseline", missing, "--quiet"])
        #expect(result.code == ExitCodes.scenarioError, "\(result.output)")
        #expect(result.output.contains("--baseline") && result.output.contains(missing), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: test.output + "/summary.json"), "nothing was run")
    }

    @Test func anUnlikeBaselineIsRefusedButTheReportsAreWritten() throws {
        let other = try TestScenario("""
            version: 1
            name: other-scenario
            prompts: { inline: ["x"] }
            load: { max_workers: 1, requests: 5 }
            mock: { latency: 1ms }
            """)
        defer { other.cleanup() }
        #expect(try CLI.run(["run", other.path, "--output", other.output, "--quiet"]).code == 0)
        let test = try GateRunTests.scenario("")
        defer { test.cleanup() }
        let result = try CLI.run([
            "run", test.path, "--output", test.output, "--baseline", other.output, "--format", "markdown,junit", "--quiet",
        ])
        #expect(result.code == ExitCodes.usage, "\(result.output)")
        #expect(result.output.contains("different scenarios"), "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: test.output + "/summary.md"))
        #expect(FileManager.default.fileExists(atPath: test.output + "/junit.xml"))
        let compare = try CLI.run(["compare", other.output, test.output])
        #expect(compare.code == ExitCodes.usage, "\(compare.output)")
        #expect(try CLI.run(["compare", test.output, test.output, "--tolerance", "10"]).code == ExitCodes.usage)
    }

    @Test func aRunWhoseEveryRequestFellInTheWarmupFails() throws {
        let test = try GateRunTests.scenario(
            "", load: "load: { max_workers: 2, duration: 3s, warmup: 2s }",
            mock: "mock: { latency: 4s }")
        defer { test.cleanup() }
        let result = try CLI.run(["run", test.path, "--output", test.output, "--format", "markdown,junit,html"])
        #expect(result.code == ExitCodes.runFailed, "\(result.output)")
        #expect(result.output.contains("FAILED: no request was measured"), "\(result.output)")
        #expect(try test.read("summary.md").hasPrefix("## ❌"))
        #expect(try test.read("junit.xml").contains("failures=\"1\""))
    }
}

/// Issue 11 item 16: `tierbench run … | head` used to die with exit 132 on the broken pipe (Foundation's `write`
/// traps on EPIPE). A closed standard output must neither kill the run nor lose its files.
@Suite("closed standard output", .enabled(if: CLI.binary != nil))
struct ClosedStdoutTests {
    @Test func aRunWhoseReaderWentAwayFinishesAndWritesItsFiles() throws {
        let test = try GateRunTests.scenario("", load: "load: { max_workers: 2, requests: 40 }")
        defer { test.cleanup() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(CLI.binary))
        process.arguments = ["run", test.path, "--output", test.output, "--progress", "off"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try pipe.fileHandleForReading.close()  // the reader is gone before the first write: every write is EPIPE
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: test.output + "/summary.json"))
        #expect(try test.requestLog().count == 40)
    }
}
