import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// The `tierbench` executable's exit codes for `run`, `sweep`, `compare` and `report`, run as a child process (it is
/// built next to the test bundle by `swift build --build-tests`). Skipped when the executable is not there.
@Suite("tierbench CLI exit codes", .serialized, .enabled(if: CLI.binary != nil))
struct CLIExitCodeTests {
    @Test("bad usage exits 64; a failing threshold exits 2; --format writes the files")
    func runExitCodes() throws {
        let test = try GateRunTests.scenario("thresholds: [\"latency_ms.p95 < 1us\"]")
        defer { test.cleanup() }
        #expect(try CLI.run(["run", test.path, "--format", "pdf"]).code == 64)
        #expect(try CLI.run(["run", test.path, "--max-regression", "10%"]).code == 64)
        let result = try CLI.run(["run", test.path, "--output", test.output, "--format", "junit,markdown"])
        #expect(result.code == 2, "\(result.output)")
        #expect(result.output.contains("FAIL") && result.output.contains("latency_ms.p95 < 1us"))
        let junit = try test.read("junit.xml")
        #expect(junit.components(separatedBy: "<testcase ").count - 1 == 2)  // "requests succeeded" + the threshold
        #expect(try test.read("summary.md").contains("| ❌ |"))
    }

    @Test("sweep takes --price-file: a missing file exits 2 with run's message; --resume keeps its own file (64)")
    func sweepPriceFile() throws {
        let test = try TestScenario(SweepPriceFileTests.yaml)
        defer { test.cleanup() }
        let missing = test.directory + "/missing.json"
        let run = try CLI.run(["run", test.path, "--output", test.output, "--price-file", missing])
        let sweep = try CLI.run(["sweep", test.path, "--output", test.output, "--price-file", missing])
        #expect(sweep.code == ExitCodes.scenarioError, "\(sweep.output)")
        #expect(sweep.output.contains("cannot read \(missing): no such file (--price-file)"), "\(sweep.output)")
        #expect(sweep.output == run.output)
        #expect(try CLI.run(["sweep", "--resume", test.output, "--price-file", missing]).code == 64)
    }

    @Test("compare: folders of 5 runs with noise only are not flagged (0); 20% slower is a regression (3)")
    func compareFolders() throws {
        let root = NSTemporaryDirectory() + "tierbench-compare-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Five runs per side: p95 around 100 ms with ±3% noise; "slow" is the same noise, 20% higher.
        let noise = [0.97, 1.01, 0.99, 1.03, 1.0]
        let otherNoise = [1.02, 0.98, 1.0, 0.99, 1.01]
        try CLI.writeRuns(root + "/base", p95: noise.map { 100 * $0 })
        try CLI.writeRuns(root + "/same", p95: otherNoise.map { 100 * $0 })
        try CLI.writeRuns(root + "/slow", p95: otherNoise.map { 120 * $0 })
        let same = try CLI.run(["compare", root + "/base", root + "/same"])
        #expect(same.code == 0, "\(same.output)")
        #expect(same.output.contains("no significant change"))
        let slow = try CLI.run(["compare", root + "/base", root + "/slow", "--tolerance", "10%"])
        #expect(slow.code == 3, "\(slow.output)")
        #expect(slow.output.contains("latency_ms.p95") && slow.output.contains("regression"))
    }

    @Test("report regenerates an HTML file from a saved result folder")
    func reportRegenerates() async throws {
        let test = try GateRunTests.scenario("thresholds: [\"error_rate <= 1%\"]")
        defer { test.cleanup() }
        _ = try await Runner.run(test.options())
        let file = test.directory + "/again.html"
        let result = try CLI.run(["report", test.output, "--format", "html", "--output", file])
        #expect(result.code == 0, "\(result.output)")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("id=\"chart-latency-time\"") && html.contains("error_rate &lt;= 1%"))
        #expect(try CLI.run(["report", test.output, "--format", "html,csv", "--output", file]).code == 64)
        #expect(try CLI.run(["report", test.directory + "/nothing"]).code != 0)
    }
}

/// Runs the built `tierbench` executable.
enum CLI {
    /// `.build/<config>/tierbench` beside the test bundle, when built.
    static let binary: String? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tierbench"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("tierbench"),
        ]
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `tierbench arguments…` (bounded by a 120 s timeout); returns its exit code and stdout+stderr.
    static func run(_ arguments: [String]) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary ?? "/nonexistent")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes one `run-N/summary.json` per value, each a minimal summary with that latency p95.
    static func writeRuns(_ folder: String, p95: [Double]) throws {
        for (index, value) in p95.enumerated() {
            let directory = "\(folder)/run-\(index + 1)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let summary: JSONValue = .object([
                .init("requests", .object([.init("total", .int(1000)), .init("succeeded", .int(1000)),
                                           .init("failed", .int(0))])),
                .init("error_rate", .double(0)),
                .init("latency_ms", .object([.init("p50", .double(value * 0.8)), .init("p95", .double(value))])),
            ])
            try summary.jsonText.write(toFile: directory + "/summary.json", atomically: true, encoding: .utf8)
        }
    }
}
