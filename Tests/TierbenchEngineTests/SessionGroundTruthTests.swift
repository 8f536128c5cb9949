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

    static func round3(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }

    /// A turn's latency as the session figures count it: first attempt's start to final end — `request_latency_ms`
    /// when the turn took more than one attempt, else `latency_ms`.
    static func turnLatency(_ line: [String: Any]) -> Double {
        (line["attempts"] as? Int ?? 1) > 1 ? line["request_latency_ms"] as? Double ?? .nan : line["latency_ms"] as? Double ?? .nan
    }

    @Test("against the mock with live history, every session figure follows from requests.jsonl and sessions.jsonl")
    func figuresFollowFromTheLogs() async throws {
        // 3 users, 4 turns of 100 ms think: sessions started at 0 end after the 250 ms warmup, so some turns of
        // warmup sessions are intended after it. The mock's prefix cache makes later turns report cached tokens.
        let warmupMs = 250.0
        let thinkMs = 100.0
        let scenario = try TestScenario("""
            version: 1
            name: ground-truth
            model: gpt-4o-mini
            stream: true
            sessions:
              turns: { mean: 4 }
              user_tokens: { mean: 30, stddev: 10 }
              think_time: { mean: \(Int(thinkMs))ms }
            load: { users: 3, duration: 1500ms, warmup: \(Int(warmupMs))ms }
            timeouts: { request: 5s }
            mock:
              seed: 4
              output_tokens: 6
              latency: { ttft: 5ms, itl: 1ms }
              prefix_cache: { block_tokens: 16, min_tokens: 16, capacity_tokens: 100000 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let summary = try #require(report.summary.sessions)
        let log = try scenario.requestLog()
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        var turnsBySession: [String: [[String: Any]]] = [:]
        for line in log { turnsBySession[line["session_id"] as? String ?? "?", default: []].append(line) }
        for (id, turns) in turnsBySession {
            turnsBySession[id] = turns.sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
        }
        #expect(turnsBySession["?"] == nil)
        // Warmup sessions: turn 1 due before the warmup's end. Their lines say so; the others don't.
        let measured = sessions.filter { ($0["start_ms"] as? Double ?? 0) >= warmupMs }
        #expect(measured.count < sessions.count && !measured.isEmpty)
        for session in sessions {
            let warmup = (session["start_ms"] as? Double ?? 0) < warmupMs
            #expect((session["warmup"] as? Bool) == (warmup ? true : nil), "\(session["session_id"] ?? "?")")
        }
        // Some turns of warmup sessions were intended after the warmup (so leaving out only warmup turns differs).
        let lateWarmupTurns = sessions.filter { ($0["start_ms"] as? Double ?? 0) < warmupMs }
            .flatMap { turnsBySession[$0["session_id"] as? String ?? ""] ?? [] }
            .filter { $0["warmup"] as? Bool != true }
        #expect(!lateWarmupTurns.isEmpty)
        let measuredTurns = measured.flatMap { turnsBySession[$0["session_id"] as? String ?? ""] ?? [] }
        #expect(summary.ended == measured.count)

        // Context by turn: the mean of the prompt_tokens the mock reported for turn k of the measured sessions.
        let succeeded = measuredTurns.filter { $0["status"] as? Int == 200 }
        var tokensByTurn: [Int: [Int]] = [:]
        for line in succeeded { tokensByTurn[line["turn"] as? Int ?? 0, default: []].append(line["prompt_tokens"] as? Int ?? -1) }
        #expect(summary.byTurn.count == tokensByTurn.keys.max())
        for entry in summary.byTurn {
            let tokens = tokensByTurn[entry.turn] ?? []
            #expect(entry.turns == tokens.count, "turn \(entry.turn)")
            let mean = tokens.isEmpty ? 0 : Double(tokens.reduce(0, +)) / Double(tokens.count)
            #expect(entry.contextTokensMean == Self.round3(mean), "turn \(entry.turn)")
        }
        let allTokens = tokensByTurn.values.flatMap { $0 }
        #expect(summary.contextTokensPerTurn.count == allTokens.count)
        #expect(summary.contextTokensPerTurn.sum == allTokens.reduce(0, +))
        #expect(summary.contextTokensPerTurn.min == allTokens.min() && summary.contextTokensPerTurn.max == allTokens.max())
        // Live history grows the context: turn k + 1 carries more than turn k in every session.
        for turns in turnsBySession.values {
            let prompts = turns.compactMap { $0["prompt_tokens"] as? Int }
            #expect(zip(prompts, prompts.dropFirst()).allSatisfy { $0 < $1 })
        }

        // Time per turn: every turn of the measured sessions, by its latency (see `turnLatency`).
        let latencies = measuredTurns.map(Self.turnLatency)
        #expect(summary.timePerTurnMs.count == latencies.count)
        #expect(abs(summary.timePerTurnMs.mean - latencies.reduce(0, +) / Double(latencies.count)) <= 0.001)
        // Think time: per session, Σ over turns k ≥ 2 of (turn k's intended time − turn k−1's end), where the
        // intended time is t_end − response_time_ms (t_send when the line has none) and t_end = t_ms + latency_ms.
        let prices = PriceCatalog.builtIn
        for session in sessions {
            let id = try #require(session["session_id"] as? String)
            let turns = turnsBySession[id] ?? []
            #expect(turns.count == session["turns_done"] as? Int, "\(id)")
            func end(_ line: [String: Any]) -> Double { (line["t_ms"] as? Double ?? 0) + (line["latency_ms"] as? Double ?? 0) }
            func intended(_ line: [String: Any]) -> Double { end(line) - (line["response_time_ms"] as? Double ?? (line["latency_ms"] as? Double ?? 0)) }
            let gaps = zip(turns, turns.dropFirst()).map { intended($1) - end($0) }
            let think = try #require(session["think_ms"] as? Double)
            #expect(abs(think - gaps.reduce(0, +)) <= 0.002 * Double(gaps.count) + 0.001, "\(id): \(think) vs \(gaps)")
            #expect(think == thinkMs * Double(max(0, turns.count - 1)), "\(id)")
            // Active time: Σ turn latency.
            let active = try #require(session["active_ms"] as? Double)
            #expect(abs(active - turns.map(Self.turnLatency).reduce(0, +)) <= 0.0005 * Double(turns.count + 1), "\(id)")
            // Cost: each turn's tokens at the price table's gpt-4o-mini prices, cached prompt tokens at the cached price.
            var cost = 0.0
            for turn in turns {
                cost += try #require(prices.cost(
                    model: "gpt-4o-mini", promptTokens: turn["prompt_tokens"] as? Int ?? 0,
                    completionTokens: turn["completion_tokens"] as? Int ?? 0,
                    cachedPromptTokens: turn["cached_tokens"] as? Int ?? 0))
            }
            #expect(abs((session["cost_usd"] as? Double ?? -1) - cost) <= 1e-9, "\(id)")
            #expect(session["cached_tokens"] as? Int == turns.reduce(0) { $0 + ($1["cached_tokens"] as? Int ?? 0) })
        }
        #expect(sessions.contains { ($0["cached_tokens"] as? Int ?? 0) > 0 })
        // The summary's think time: the distribution of the measured sessions' think_ms.
        let thinks = measured.compactMap { $0["think_ms"] as? Double }
        #expect(summary.thinkMs.count == thinks.count)
        #expect(abs(summary.thinkMs.mean - thinks.reduce(0, +) / Double(thinks.count)) <= 0.001)
        let longest = try #require(thinks.max())
        #expect(abs(summary.thinkMs.max - longest) <= longest * 0.001)  // HdrHistogram, 3 significant digits
    }
}
