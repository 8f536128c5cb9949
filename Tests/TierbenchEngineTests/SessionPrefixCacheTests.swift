import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Sessions against the built-in mock's prefix cache and prefill latency (docs/mock.md "Prefix cache"), and the
/// session series of the harness's Prometheus endpoint against `sessions.jsonl`.
@Suite("Sessions with the mock's prefix cache", .serialized)
struct SessionPrefixCacheTests {
    static let blockTokens = 16
    static let ttftMillis = 10.0
    static let prefillMillisPerToken = 0.5

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The log's turns of each session, in turn order.
    static func turnsBySession(_ log: [[String: Any]]) -> [String: [[String: Any]]] {
        var bySession: [String: [[String: Any]]] = [:]
        for line in log {
            guard let id = line["session_id"] as? String else { continue }
            bySession[id, default: []].append(line)
        }
        return bySession.mapValues { $0.sorted { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) } }
    }

    @Test("TTFT by turn: each turn's TTFT is ttft + prefill × its uncached tokens, and later turns hit the cache")
    func ttftByTurnFollowsTheCachedTokens() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: cache-turns
            target: mock
            endpoint: chat
            model: gpt-4o-mini
            stream: true
            sessions:
              turns: { mean: 4 }
              user_tokens: { mean: 40, stddev: 0 }
            load: { users: 2, requests: 16 }
            timeouts: { request: 10s }
            mock:
              seed: 3
              output_tokens: 8
              latency: { ttft: \(Int(Self.ttftMillis))ms, itl: 1ms, prefill_per_token: 0.5ms }
              prefix_cache: { block_tokens: \(Self.blockTokens), min_tokens: \(Self.blockTokens), capacity_tokens: 100000 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 16)
        let bySession = Self.turnsBySession(try scenario.requestLog())
        #expect(bySession.count == 4)
        // The expected TTFT of every turn, from what the mock reported for it.
        var expectedByTurn: [Int: [Double]] = [:]
        for (id, turns) in bySession {
            #expect(turns.count == 4, "\(id)")
            for (index, turn) in turns.enumerated() {
                let prompt = try #require(turn["prompt_tokens"] as? Int, "\(id) turn \(index + 1)")
                let cached = turn["cached_tokens"] as? Int ?? 0
                if index > 0 {
                    // Turn k resends turn k−1's messages: every full block of them is cached. The last 3 tokens of
                    // turn k−1's prompt primed its reply; where they sat, turn k has the reply's own message.
                    let previous = try #require(turns[index - 1]["prompt_tokens"] as? Int)
                    #expect(cached == (previous - 3) / Self.blockTokens * Self.blockTokens, "\(id) turn \(index + 1)")
                    #expect(cached > 0 && cached < prompt, "\(id) turn \(index + 1)")
                }
                let expected = Self.ttftMillis + Self.prefillMillisPerToken * Double(prompt - cached)
                let ttft = try #require(turn["ttft_ms"] as? Double, "\(id) turn \(index + 1)")
                // The mock waits at least the modelled time; loopback and scheduling only add (generously bounded).
                #expect(ttft >= expected - 1 && ttft <= expected + 60, "\(id) turn \(index + 1): \(ttft) vs \(expected)")
                expectedByTurn[index + 1, default: []].append(expected)
            }
        }
        // The summary's TTFT by turn is the distribution of those turns: its median lies among their expectations.
        let summary = try JSONSerialization.jsonObject(with: Data(scenario.read("summary.json").utf8)) as? [String: Any]
        let sessions = try #require(summary?["sessions"] as? [String: Any])
        let byTurn = try #require(sessions["by_turn"] as? [[String: Any]])
        for turn in 1...4 {
            let entry = try #require(byTurn.first { $0["turn"] as? Int == turn }, "turn \(turn)")
            #expect(entry["turns"] as? Int == 4, "turn \(turn)")
            let p50 = try #require((entry["ttft_ms"] as? [String: Any])?["p50"] as? Double, "turn \(turn)")
            let expected = try #require(expectedByTurn[turn])
            #expect(p50 >= (expected.min() ?? 0) - 1 && p50 <= (expected.max() ?? 0) + 60, "turn \(turn): \(p50)")
        }
        // Each session's cached tokens are the sum over its turns.
        for session in try Self.lines(scenario.read("sessions.jsonl")) {
            let id = try #require(session["session_id"] as? String)
            let sum = bySession[id]?.reduce(0) { $0 + ($1["cached_tokens"] as? Int ?? 0) }
            #expect(session["cached_tokens"] as? Int == sum, "\(id)")
        }
    }

    @Test("the endpoint's session series equal sessions.jsonl: started, ended by outcome, none active after the run")
    func sessionSeriesMatchTheSessionsFile() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: session-series
            target: mock
            endpoint: chat
            model: gpt-4o-mini
            sessions:
              turns: { mean: 3 }
              user_tokens: { mean: 20, stddev: 5 }
              on_error: abort_session
            load: { users: 3, requests: 30 }
            timeouts: { request: 10s }
            mock: { seed: 5, latency: 2ms, output_tokens: 4, faults: { status_rates: { 500: 0.1 } } }
            """)
        defer { scenario.cleanup() }
        let (_, scraped, _) = try await runAndScrapeDuringLinger(scenario, linger: TimeSpan(nanoseconds: 3_000_000_000),
                                                                timeoutSeconds: 30)
        let text = try #require(scraped, "no scrape during the linger")
        func value(_ series: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
        }
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.count >= 10)
        let label = "scenario=\"session-series\""
        #expect(value("tierbench_sessions_started_total{\(label)}") == sessions.count)
        #expect(value("tierbench_sessions_active{\(label)}") == 0)
        for outcome in SessionOutcome.allCases {
            let expected = sessions.filter { $0["outcome"] as? String == outcome.rawValue }.count
            #expect(value("tierbench_sessions_total{\(label),outcome=\"\(outcome.rawValue)\"}") == expected,
                    "\(outcome.rawValue)")
        }
        // The injected 500s end sessions early: both outcomes occur, so the check above is not all zeros.
        #expect(sessions.contains { $0["outcome"] as? String == "aborted_error" })
        #expect(sessions.contains { $0["outcome"] as? String == "completed" })
    }
}
