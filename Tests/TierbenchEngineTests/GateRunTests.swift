import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// Thresholds, abort_on_fail, baselines and report files on real runs against the in-process mock; each exit code
/// the engine decides (0, 1, 2, 3, 4, 65, 130). 64 (usage) belongs to the CLI: `CLIExitCodeTests`.
@Suite("gates on real runs", .serialized)
struct GateRunTests {
    static func scenario(_ thresholds: String, load: String = "load: { max_workers: 4, requests: 120 }",
                         mock: String = "mock: { latency: 5ms, seed: 1 }", extra: String = "") throws -> TestScenario {
        try TestScenario("""
            version: 1
            name: gatetest
            prompts: { inline: ["hello there"] }
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 8 }
            \(load)
            \(mock)
            \(thresholds)
            \(extra)
            """)
    }

    @Test("passing thresholds exit 0 and every format is written next to summary.json")
    func passingThresholdsWriteEveryFormat() async throws {
        let test = try Self.scenario("""
            thresholds: ["latency_ms.p95 < 5s", "error_rate <= 1%", "status_counts.429 == 0", "requests.total == 120"]
            """)
        defer { test.cleanup() }
        let report = try await Runner.run(test.options())
        var options = GateOptions()
        options.formats = [.json, .csv, .markdown, .junit, .html]
        let verdict = try Gate.judge(run: report, options: options)
        #expect(verdict.thresholds.count == 4)
        #expect(verdict.thresholds.allPassed, "\(verdict.thresholds.map(\.message))")
        #expect(verdict.exitCode == ExitCodes.success)
        #expect(verdict.table.contains("4 of 4 passed"))
        for file in ["summary.json", "summary.csv", "summary.md", "junit.xml", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: test.output + "/" + file), "\(file) missing")
        }
        let html = try test.read("report.html")
        #expect(html.contains("id=\"chart-throughput\"") && html.contains("id=\"chart-latency-distribution\""))
        // The per-second series with percentiles is in summary.json, so the report can be made again.
        let summary = try JSONDecoder().decode(JSONValue.self, from: Data(test.read("summary.json").utf8))
        guard case .array(let p95)? = summary.metricValue(at: "time_series.latency_p95_ms") else {
            Issue.record("time_series.latency_p95_ms missing")
            return
        }
        #expect(!p95.isEmpty && p95.contains { ($0.metricNumber ?? 0) > 0 })
    }

    @Test("a failing threshold exits 2; a latency threshold with no successful request fails as no samples")
    func failingThresholdExits2() async throws {
        let test = try Self.scenario("thresholds: [\"latency_ms.p50 < 1us\", \"error_rate <= 1%\"]")
        defer { test.cleanup() }
        let verdict = try Gate.judge(run: try await Runner.run(test.options()), options: GateOptions())
        #expect(verdict.exitCode == ExitCodes.thresholdFailed)
        #expect(verdict.thresholds.map(\.passed) == [false, true])
        #expect(verdict.table.contains("FAIL"))

        let port = closedLoopbackPort()
        let dead = try TestScenario("""
            version: 1
            name: dead
            target: { base_url: "http://127.0.0.1:\(port)/v1" }
            load: { max_workers: 1, requests: 3 }
            thresholds: ["latency_ms.p95 < 800ms"]
            """)
        defer { dead.cleanup() }
        let report = try await Runner.run(dead.options())
        #expect(report.exitCode == ExitCodes.runFailed)
        let deadVerdict = try Gate.judge(run: report, options: GateOptions())
        #expect(deadVerdict.thresholds.first?.status == .noSamples)
        #expect(deadVerdict.exitCode == ExitCodes.thresholdFailed)
    }

    @Test("abort_on_fail stops a run once a counter threshold can no longer pass, and exits 2")
    func abortOnFailStopsEarly() async throws {
        let test = try Self.scenario(
            "thresholds: [{ expr: \"requests.failed < 5\", abort_on_fail: true }]",
            load: "load: { max_workers: 2, requests: 100000, duration: 60s }",
            mock: "mock: { latency: 2ms, seed: 1, faults: { status_rates: { 500: 1.0 } } }")
        defer { test.cleanup() }
        let started = Date()
        let report = try await Runner.run(test.options())
        #expect(Date().timeIntervalSince(started) < 30, "the run should stop long before its 60 s")
        #expect(report.abortedBy?.expression == "requests.failed < 5")
        #expect(!report.interrupted)
        #expect(report.summary.requests.total < 100_000)
        let verdict = try Gate.judge(run: report, options: GateOptions())
        #expect(verdict.exitCode == ExitCodes.thresholdFailed)
        #expect(verdict.table.contains("aborted early"))
    }

    @Test("a baseline 20% faster than the run is a regression (exit 3); the same run as baseline is not")
    func baselineRegressionExits3() async throws {
        let test = try Self.scenario("", mock: "mock: { latency: 20ms, seed: 1 }")
        defer { test.cleanup() }
        let report = try await Runner.run(test.options())
        var summary = try JSONDecoder().decode(JSONValue.self, from: Data(report.summaryJSON.utf8))
        let same = test.directory + "/same.json"
        try summary.jsonText.write(toFile: same, atomically: true, encoding: .utf8)
        var latency = try #require(summary["latency_ms"])
        for key in ["p50", "p90", "p95", "p99", "mean"] {
            if let value = latency[key]?.metricNumber { latency.set(key, .double(value / 1.25)) }
        }
        summary.set("latency_ms", latency)
        let faster = test.directory + "/faster.json"
        try summary.jsonText.write(toFile: faster, atomically: true, encoding: .utf8)

        var options = GateOptions()
        options.baselinePath = faster
        options.maxRegression = 0.10
        let verdict = try Gate.judge(run: report, options: options)
        #expect(verdict.exitCode == ExitCodes.regression)
        #expect(verdict.comparison?.regressions.contains { $0.metric == "latency_ms.p95" } == true)
        options.baselinePath = same
        #expect(try Gate.judge(run: report, options: options).exitCode == ExitCodes.success)
    }

    /// A full `max_in_flight` against a slow server is the server's pace, not the generator's: exit 4 is only for
    /// the generator's own lag (issue 11 item 4; before, this run exited 4 and blamed the generator).
    @Test("a full max_in_flight is not a generator bottleneck: no exit 4, limited_by_max_in_flight instead")
    func fullMaxInFlightIsNotAGeneratorBottleneck() async throws {
        let test = try Self.scenario(
            "fail_on_generator_bottleneck: true",
            load: "load: { rate: 200, max_in_flight: 1, duration: 500ms }", mock: "mock: { latency: 20ms, seed: 1 }")
        defer { test.cleanup() }
        let report = try await Runner.run(test.options())
        #expect(report.summary.generator.limitedByMaxInFlight)
        #expect(!report.summary.generator.limitedByGenerator)
        #expect(report.summary.generator.droppedSends > 0)
        let verdict = try Gate.judge(run: report, options: GateOptions())
        #expect(verdict.generatorBottleneck == false)
        #expect(verdict.exitCode == ExitCodes.success)
    }

    @Test("an interrupted run exits 130 and an invalid threshold is a scenario error (65) naming the line")
    func interruptedAndInvalid() async throws {
        let test = try Self.scenario("", load: "load: { max_workers: 2, duration: 30s }")
        defer { test.cleanup() }
        let interrupt = RunInterrupt()
        Task {
            try? await Task.sleep(for: .milliseconds(300))
            interrupt.interrupt()
        }
        let report = try await Runner.run(test.options(), interrupt: interrupt)
        #expect(report.exitCode == ExitCodes.interrupted)

        let bad = try Self.scenario("thresholds:\n  - \"latency_ms.p95 = 800\"")
        defer { bad.cleanup() }
        do {
            _ = try await Runner.run(bad.options())
            Issue.record("an invalid threshold should be refused")
        } catch {
            #expect(error.exitCode == ExitCodes.scenarioError)
            #expect(error.description.contains("thresholds[0]") && error.description.contains("did you mean '=='"))
        }
    }

    @Test("saved results render again: every format from a result folder, thresholds judged again")
    func reportFromSavedResults() async throws {
        let test = try Self.scenario("thresholds: [\"latency_ms.p95 < 5s\", \"requests.total < 10\"]")
        defer { test.cleanup() }
        _ = try await Runner.run(test.options())
        let loaded = try ResultFiles.load(test.output)
        let content = try ReportContentLoader.content(loaded, baselinePath: nil, tolerance: 0.1)
        #expect(content.thresholds.map(\.passed) == [true, false])
        #expect(content.displayTitle == "gatetest")
        let markdown = OutputFormat.markdown.render(content)
        #expect(markdown.contains("| Metric | Value |"))
        #expect(OutputFormat.html.render(content).contains("<svg"))
    }
}
