import Foundation
import Synchronization
import Testing
import TierbenchCore
import TierbenchCurl
@testable import TierbenchEngine

/// The live side of a run end to end: progress samples, alerts and the --metrics-port endpoint.
@Suite(.serialized) struct LiveRunTests {
    @Test("an abort alert stops the run early, keeps what it measured and exits 2")
    func abortAlertStopsTheRun() async throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 4, duration: 30s }
            mock: { latency: 5ms, seed: 3, faults: { status_rates: { 500: 0.5 } } }
            alerts:
              - { when: "error_rate > 20%", for: 1s, action: abort }
              - { when: "total.requests > 0", action: warn }
            """)
        defer { scenario.cleanup() }
        let started = Date()
        let report = try await Runner.run(scenario.options())
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 20, "the alert should stop a 30 s run after about 1.25 s")
        #expect(report.alerts.map(\.rule.action) == [.warn, .abort])
        #expect(report.abortedByAlert)
        #expect(report.exitCode == ExitCodes.thresholdFailed)
        #expect(report.summary.requests.total > 0)
        #expect(FileManager.default.fileExists(atPath: scenario.output + "/summary.json"))
    }

    @Test("progress samples arrive while the run lasts and count what the summary counts")
    func progressSamples() async throws {
        let scenario = try TestScenario("""
            version: 1
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, requests: 200 }
            mock: { latency: 5ms }
            """)
        defer { scenario.cleanup() }
        let samples = Mutex<[LiveSample]>([])
        var options = scenario.options()
        options.onSample = { sample in samples.withLock { $0.append(sample) } }
        let report = try await Runner.run(options)
        let seen = samples.withLock { $0 }
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { $0.completed <= 200 })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.completed <= $1.completed && $0.elapsedSeconds < $1.elapsedSeconds })
        #expect(report.summary.requests.total == 200)
    }

    @Test("--metrics-port serves Prometheus text with the run's counters while it runs")
    func metricsEndpoint() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: metrics-test
            prompts: { inline: ["hi"] }
            load: { max_workers: 2, duration: 3s }
            mock: { latency: 5ms }
            """)
        defer { scenario.cleanup() }
        let port = Mutex<Int?>(nil)
        var options = scenario.options()
        options.metricsPort = 0
        options.onMetricsListening = { bound in port.withLock { $0 = bound } }
        async let run = Runner.run(options)
        var scraped = ""
        let client = CurlClient()
        defer { client.shutdown() }
        for _ in 0..<40 {
            try await Task.sleep(nanoseconds: 100_000_000)
            guard let bound = port.withLock({ $0 }) else { continue }
            let (result, _, body) = await client.send(
                try PreparedRequest(url: "http://127.0.0.1:\(bound)/metrics", method: "GET"))
            if result.status == 200, let text = String(bytes: body, encoding: .utf8),
                text.contains("outcome=\"success\"} ") && !text.contains("outcome=\"success\"} 0\n")
            {
                scraped = text
                break
            }
        }
        let report = try await run
        #expect(scraped.contains("# TYPE tierbench_requests_total counter"))
        #expect(scraped.contains("tierbench_in_flight{scenario=\"metrics-test\"}"))
        #expect(scraped.contains("tierbench_latency_seconds_bucket{scenario=\"metrics-test\",le=\"+Inf\"}"))
        #expect(report.summary.requests.total > 0)
    }
}
