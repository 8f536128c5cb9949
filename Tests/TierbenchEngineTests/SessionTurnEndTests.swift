import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Where a turn's end lies for the session (a stream held open after `[DONE]`, a retry cut by the run's end), and the
/// one load thread of a sessions run.
@Suite("Session turn ends", .serialized)
struct SessionTurnEndTests {
    @Test("think time counts from a turn's measured end ([DONE]), not from when a held-open stream was closed")
    func thinkTimeFromTheMeasuredEnd() async throws {
        let server = try SessionCaptureServer(holdStreamsOpen: true)
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: held-open
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            stream: true
            sessions: { turns: { mean: 3 }, user_tokens: { mean: 10 }, think_time: { mean: 100ms } }
            load: { users: 1, requests: 3 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 3)
        let log = try scenario.requestLog().sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
        #expect(log.map { $0["turn"] as? Int } == [1, 2, 3])
        // Each turn's end is its [DONE]: t_ms + latency_ms. The server then keeps the body open, so the transfer
        // closes 50 ms later (LoadDriver.streamCloseGraceNanos).
        func end(_ line: [String: Any]) -> Double { (line["t_ms"] as? Double ?? 0) + (line["latency_ms"] as? Double ?? 0) }
        func intended(_ line: [String: Any]) -> Double { end(line) - (line["response_time_ms"] as? Double ?? (line["latency_ms"] as? Double ?? 0)) }
        for (previous, next) in zip(log, log.dropFirst()) {
            let gap = intended(next) - end(previous)
            #expect(abs(gap - 100) <= 0.002, "turn \(next["turn"] ?? "?") was due \(gap) ms after the last one's end")
        }
        let session = try #require(try SessionGroundTruthTests.lines(scenario.read("sessions.jsonl")).first)
        #expect(session["think_ms"] as? Double == 200)
        let sessionEnd = (session["start_ms"] as? Double ?? .nan) + (session["duration_ms"] as? Double ?? .nan)
        #expect(abs(sessionEnd - end(log[2])) <= 0.002, "the session ended at its last turn's [DONE]")
    }

    @Test("a failed turn whose retry would come after the run's end times the session out instead of aborting it")
    func retryCutByTheRunEndTimesOut() async throws {
        // Every request fails with 500; the backoff before a retry is drawn from [0, 10 min], far past the 400 ms run.
        let scenario = try TestScenario("""
            version: 1
            name: retry-cut
            sessions: { turns: { mean: 3 }, on_error: retry }
            retry: { max_attempts: 3, base: 600s, cap: 600s }
            load: { users: 2, duration: 400ms }
            mock: { latency: 1ms, faults: { status_rates: { 500: 1.0 } } }
            """)
        defer { scenario.cleanup() }
        _ = try await Runner.run(scenario.options())
        let log = try scenario.requestLog()
        let sessions = try SessionGroundTruthTests.lines(scenario.read("sessions.jsonl"))
        #expect(log.count == 2 && log.allSatisfy { $0["status"] as? Int == 500 && $0["attempts"] == nil })
        #expect(sessions.count == 2)
        for session in sessions {
            #expect(session["outcome"] as? String == "timeout")
            #expect(session["turns_done"] as? Int == 1 && session["turns_failed"] as? Int == 1)
            #expect(session["errors"] as? Int == 1 && session["slo_met"] as? Bool == false)
        }
    }

    @Test("--threads above 1 does not apply to sessions: generator.threads is 1 and the run notes it")
    func threadsReportedAsOne() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: threads
            sessions: { turns: { mean: 2 } }
            load: { users: 2, requests: 4 }
            mock: { latency: 1ms, output_tokens: 2 }
            """)
        defer { scenario.cleanup() }
        var options = scenario.options()
        options.threads = 4
        let report = try await Runner.run(options)
        #expect(report.summary.generator.threads == 1)
        #expect(report.notes == ["note: sessions run on 1 load thread; --threads 4 does not apply"])
        options.threads = 1
        options.outputDirectory = scenario.output + "-single"
        let single = try await Runner.run(options)
        #expect(single.summary.generator.threads == 1 && single.notes.isEmpty)
    }
}
