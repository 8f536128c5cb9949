import Foundation
import Testing
import TierbenchCore

@testable import TierbenchEngine

/// Issue 11 item 13: a run against a target that cannot serve it stops early with the reason, instead of running
/// its whole duration (66,300 refused connections used to be reported as 66,296 req/s of throughput).
@Suite struct HopelessTargetTests {
    @Test func aRefusedConnectionStopsTheRunEarly() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: refused
            target: { base_url: "http://127.0.0.1:\(closedLoopbackPort())/v1" }
            prompts: { inline: ["hello"] }
            load: { max_workers: 4, duration: 20s }
            """)
        defer { scenario.cleanup() }
        let start = ContinuousClock.now
        let report = try await Runner.run(scenario.options())
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(report.exitCode == ExitCodes.runFailed)
        let reason = try #require(report.summary.stoppedEarly)
        #expect(reason.contains("connection_refused"), "\(reason)")
        #expect(report.summary.requests.total < 100)
        #expect(report.summary.throughput.succeededPerS == 0)
        #expect(try scenario.requestLog().count == report.summary.requests.total)
    }

    @Test func anUnknownModelStopsTheRunWithTheServersMessage() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: unknown-model
            model: gpt-does-not-exist
            prompts: { inline: ["hello"] }
            load: { max_workers: 2, duration: 20s }
            """)
        defer { scenario.cleanup() }
        let start = ContinuousClock.now
        let report = try await Runner.run(scenario.options())
        #expect(ContinuousClock.now - start < .seconds(5))
        let reason = try #require(report.summary.stoppedEarly)
        #expect(reason.contains("HTTP 404") && reason.contains("gpt-does-not-exist"), "\(reason)")
        let text = ConsoleSummary.render(report.summary, color: false)
        #expect(text.contains("stopped early") && text.contains("FAILED: no request succeeded"), "\(text)")
    }
}
