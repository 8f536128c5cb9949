import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Session figures against the ground truth of the same run's requests.jsonl: the budget's cut, context by turn,
/// active time, cost, think time and time per turn.
@Suite("Session figures against requests.jsonl", .serialized)
struct SessionGroundTruthTests {
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    @Test("budget.max_usd cuts a sessions run: every turn sent is a turn of a listed session, in-flight turns included")
    func budgetKeepsEveryTurnInSessions() async throws {
        // 4 users, turns of 30 ms: when the budget refuses a turn, other users' turns are in flight. Each turn is
        // estimated at ≥ 40 × $0.60/1M (max_tokens) = $0.000024, so $0.0003 allows a dozen or so turns.
        let scenario = try TestScenario("""
            version: 1
            name: budget-sessions
            model: gpt-4o-mini
            request: { max_tokens: 40 }
            sessions: { turns: { mean: 4 }, user_tokens: { mean: 20 }, think_time: { mean: 5ms } }
            load: { users: 4, duration: 20s }
            budget: { max_usd: 0.0003 }
            mock: { latency: 30ms, output_tokens: 8 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let log = try scenario.requestLog()
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(log.count > 4 && log.count < 40)
        // Every request is a turn of a session listed with it: Σ turns_done = requests, per session too.
        let turnsDone = sessions.reduce(0) { $0 + ($1["turns_done"] as? Int ?? 0) }
        #expect(turnsDone == log.count)
        for session in sessions {
            let id = try #require(session["session_id"] as? String)
            let logged = log.filter { $0["session_id"] as? String == id }.count
            #expect(logged == session["turns_done"] as? Int, "\(id)")
        }
        let summary = try #require(report.summary.sessions)
        #expect(summary.started == sessions.count && summary.ended == sessions.count)
        #expect(summary.turnsPerSession.sum == turnsDone)
        // The cut sessions timed out; none ended as aborted.
        #expect(sessions.allSatisfy { ["completed", "timeout"].contains($0["outcome"] as? String ?? "") })
        #expect(sessions.contains { $0["outcome"] as? String == "timeout" })
    }
}
