import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// Sessions end to end: what each turn really sent (captured by a loopback server), the built-in mock's faults, and
/// the files a run writes.
@Suite("Sessions", .serialized)
struct SessionRunTests {
    typealias Message = (role: String, content: String)

    static func messages(_ exchange: SessionCaptureServer.Exchange) -> [Message] {
        let items = exchange.body["messages"] as? [[String: Any]] ?? []
        return items.map { ($0["role"] as? String ?? "?", $0["content"] as? String ?? "?") }
    }

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    @Test("live history: turn k sends turns 1…k−1's user messages and the replies the server gave, then its own",
          arguments: [false, true])
    func liveHistoryCarriesTheRealReplies(stream: Bool) async throws {
        let server = try SessionCaptureServer()
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: live
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            stream: \(stream)
            sessions:
              turns: { mean: 3 }
              user_tokens: { mean: 20, stddev: 5 }
              header: X-Session-ID
            load: { users: 2, requests: 12 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let exchanges = server.exchanges
        #expect(exchanges.count == 12)
        #expect(report.summary.requests.succeeded == 12)
        var bySession: [String: [SessionCaptureServer.Exchange]] = [:]
        for exchange in exchanges { bySession[exchange.headers["x-session-id"] ?? "none", default: []].append(exchange) }
        // Two users share 12 turns: which sessions the last turns fall into depends on timing, so the expected
        // figures come from what the server saw.
        #expect(bySession.count >= 4)
        for (id, turns) in bySession {
            #expect(turns.count <= 3, "\(id)")
            var expected: [Message] = []
            for (index, exchange) in turns.enumerated() {
                let sent = Self.messages(exchange)
                // Everything before this turn's user message: the earlier user messages and the replies as sent.
                #expect(sent.count == 2 * index + 1, "\(id) turn \(index + 1)")
                #expect(sent.dropLast().map(\.role) == expected.map(\.role), "\(id) turn \(index + 1)")
                #expect(sent.dropLast().map(\.content) == expected.map(\.content), "\(id) turn \(index + 1)")
                let user = try #require(sent.last)
                #expect(user.role == "user" && !user.content.isEmpty)
                expected.append(user)
                expected.append(("assistant", exchange.reply))
            }
        }
        // The files: a session with all 3 turns completed, one cut by the request limit timed out; each request
        // names its session and turn; the server's usage (11 prompt, 2 completion tokens a turn) adds up per session.
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.count == bySession.count)
        for session in sessions {
            let id = try #require(session["session_id"] as? String)
            let sent = bySession[id]?.count ?? 0
            #expect(session["turns_done"] as? Int == sent, "\(id)")
            #expect(session["outcome"] as? String == (sent == 3 ? "completed" : "timeout"), "\(id)")
            #expect(session["prompt_tokens"] as? Int == 11 * sent && session["completion_tokens"] as? Int == 2 * sent)
        }
        let log = try scenario.requestLog()
        for (id, turns) in bySession {
            let logged = log.filter { $0["session_id"] as? String == id }.compactMap { $0["turn"] as? Int }
            #expect(logged.sorted() == Array(1...turns.count), "\(id)")
        }
        let summary = try #require(report.summary.sessions)
        let completed = bySession.values.filter { $0.count == 3 }.count
        #expect(summary.ended == bySession.count && summary.outcomes["completed"] == completed)
        #expect(abs(summary.goodput - Double(completed) / Double(bySession.count)) < 0.0001)  // 4 decimals
        #expect(summary.byTurn.map(\.turns) == (1...3).map { turn in bySession.values.filter { $0.count >= turn }.count })
        #expect(summary.maxActive == 2)
    }

    @Test("recorded history: turn k resends the file's transcript up to its k-th user message")
    func recordedHistoryResendsTheTranscript() async throws {
        let server = try SessionCaptureServer()
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: recorded
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            sessions: { file: conversations.jsonl, history: recorded, header: X-Session-ID }
            load: { users: 1, requests: 5 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        let a: [Message] = [("system", "be brief"), ("user", "a1"), ("assistant", "A1"), ("user", "a2"),
                            ("assistant", "A2"), ("user", "a3")]
        let b: [Message] = [("user", "b1"), ("assistant", "B1"), ("user", "b2")]
        try """
            {"id":"a","conversations":[{"from":"system","value":"be brief"},{"from":"human","value":"a1"},{"from":"gpt","value":"A1"},{"from":"human","value":"a2"},{"from":"gpt","value":"A2"},{"from":"human","value":"a3"}]}
            {"session_id":"b","turns":[{"role":"user","content":"b1"},{"role":"assistant","content":"B1"},{"role":"user","content":"b2"}]}
            """.write(toFile: scenario.directory + "/conversations.jsonl", atomically: true, encoding: .utf8)
        _ = try await Runner.run(scenario.options())
        let exchanges = server.exchanges
        #expect(exchanges.count == 5)
        let expected: [(String, [Message])] = [
            ("s-000001", Array(a[0...1])), ("s-000001", Array(a[0...3])), ("s-000001", a),
            ("s-000002", Array(b[0...0])), ("s-000002", b),
        ]
        for (exchange, (id, messages)) in zip(exchanges, expected) {
            #expect(exchange.headers["x-session-id"] == id)
            let sent = Self.messages(exchange)
            #expect(sent.map(\.role) == messages.map(\.role))
            #expect(sent.map(\.content) == messages.map(\.content))
        }
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.map { $0["turns_planned"] as? Int } == [3, 2])
        #expect(sessions.allSatisfy { $0["outcome"] as? String == "completed" })
    }

    @Test("a file with live history: the file's user messages, the server's real replies, its system message first")
    func fileWithLiveHistory() async throws {
        let server = try SessionCaptureServer()
        defer { server.stop() }
        let scenario = try TestScenario("""
            version: 1
            name: file-live
            target: { base_url: "http://127.0.0.1:\(server.port)/v1" }
            sessions: { file: chats.json, turns: { mean: 2, max: 2 } }
            load: { users: 1, requests: 2 }
            timeouts: { request: 5s }
            """)
        defer { scenario.cleanup() }
        try #"[{"conversations":[{"from":"system","value":"sys"},{"from":"human","value":"q1"},{"from":"gpt","value":"recorded A1"},{"from":"human","value":"q2"},{"from":"human","value":"q3"}]}]"#
            .write(toFile: scenario.directory + "/chats.json", atomically: true, encoding: .utf8)
        _ = try await Runner.run(scenario.options())
        let exchanges = server.exchanges
        #expect(exchanges.count == 2)
        let first = Self.messages(exchanges[0])
        let second = Self.messages(exchanges[1])
        #expect(first.map(\.content) == ["sys", "q1"])
        #expect(second.map(\.role) == ["system", "user", "assistant", "user"])
        #expect(second.map(\.content) == ["sys", "q1", exchanges[0].reply, "q2"])  // the live reply, not "recorded A1"
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.first?["turns_planned"] as? Int == 2)  // 3 user messages, capped by turns.max
        #expect(sessions.first?["outcome"] as? String == "completed")
    }

    @Test("users: 3 against the mock: never more than 3 sessions overlap, in sessions.jsonl and the summary")
    func usersBoundActiveSessions() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: users
            sessions:
              turns: { dist: lognormal, mean: 3, stddev: 1, max: 6 }
              user_tokens: { mean: 30 }
              think_time: { dist: exponential, mean: 40ms }
            load: { users: 3, duration: 1500ms }
            mock: { latency: 10ms, output_tokens: 8 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let summary = try #require(report.summary.sessions)
        #expect(summary.maxActive == 3)
        #expect(summary.activePerSecond.allSatisfy { $0 <= 3 })
        let series = try #require(report.summary.timeSeries.sessionsActive)
        #expect(series.count == report.summary.timeSeries.requests.count)
        #expect(series.max() == 3)
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.count == summary.ended)
        #expect(summary.started == sessions.count)
        #expect(sessions.count > 6)
        var events: [(time: Double, change: Int)] = []
        for session in sessions {
            let start = try #require(session["start_ms"] as? Double)
            let duration = try #require(session["duration_ms"] as? Double)
            events.append((start, 1))
            // A user's next session starts at the very nanosecond its last one ended; start_ms and duration_ms are
            // each rounded to the microsecond, so their sum may land up to 1 µs late.
            events.append((start + duration - 0.0015, -1))
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.change < $1.change }
        var active = 0
        var peak = 0
        for event in events {
            active += event.change
            peak = max(peak, active)
        }
        #expect(peak <= 3)
        // Every request is a turn of a listed session, turns numbered 1…turns_done in order.
        let log = try scenario.requestLog()
        let turnsDone = sessions.reduce(0) { $0 + ($1["turns_done"] as? Int ?? 0) }
        #expect(log.count == turnsDone)
        for session in sessions {
            let id = try #require(session["session_id"] as? String)
            let turns = log.filter { $0["session_id"] as? String == id }
                .sorted { ($0["t_ms"] as? Double ?? 0) < ($1["t_ms"] as? Double ?? 0) }.compactMap { $0["turn"] as? Int }
            #expect(turns == Array(1...max(1, turns.count)), "\(id)")
            #expect(turns.count == session["turns_done"] as? Int)
        }
    }

    @Test("open loop: each arrival of load.rate starts a session, at the schedule's times")
    func openLoopSessionArrivals() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: open
            sessions: { turns: { mean: 2 }, think_time: { mean: 20ms } }
            load: { rate: 10, duration: 2s, max_in_flight: 8 }
            mock: { latency: 2ms, output_tokens: 4 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let sessions = try Self.lines(scenario.read("sessions.jsonl")).sorted {
            ($0["start_ms"] as? Double ?? 0) < ($1["start_ms"] as? Double ?? 0)
        }
        // Constant arrivals at 10/s over 2 s: sessions start at 0, 100, …, 1900 ms after the first.
        #expect(sessions.count == 20)
        let first = try #require(sessions.first?["start_ms"] as? Double)
        let log = try scenario.requestLog()
        var withTurn2 = 0
        for (index, session) in sessions.enumerated() {
            let start = try #require(session["start_ms"] as? Double)
            #expect(abs(start - first - Double(index) * 100) < 0.002, "session \(index + 1)")
            let id = SessionRecord.id(index + 1)
            #expect(session["session_id"] as? String == id)
            // Timing decides whether a late session's turn 2 fits before the end: check those whose turn 2 was sent.
            guard log.contains(where: { $0["session_id"] as? String == id && $0["turn"] as? Int == 2 }) else { continue }
            withTurn2 += 1
            #expect(session["outcome"] as? String == "completed", "\(id)")
            #expect(session["think_ms"] as? Double == 20, "\(id)")
        }
        // The first half had more than a second left for 2 turns of ~2 ms and a 20 ms pause.
        #expect(withTurn2 >= 10)
        #expect(report.summary.requests.total == log.count)
        #expect(report.summary.sessions?.started == 20)
    }

    @Test("open loop with every slot busy: turns wait for a slot, nothing is sent after the run's end, every session is listed")
    func saturatedOpenLoopEndsOnTime() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: saturated
            sessions: { turns: { mean: 2 } }
            load: { rate: 40, duration: 1s, max_in_flight: 1 }
            mock: { latency: 40ms, output_tokens: 4 }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        // On time: no turn was sent after the run's duration (1000 ms from the run's start), and a timed-out session
        // ended at the run's end or, with a turn in flight then, when that turn ended (its own latency later).
        let log = try scenario.requestLog()
        #expect(log.allSatisfy { ($0["t_ms"] as? Double ?? .infinity) <= 1_000 })
        for session in sessions where session["outcome"] as? String == "timeout" {
            let id = try #require(session["session_id"] as? String)
            let end = (session["start_ms"] as? Double ?? .nan) + (session["duration_ms"] as? Double ?? .nan)
            let last = log.filter { $0["session_id"] as? String == id }.max { ($0["turn"] as? Int ?? 0) < ($1["turn"] as? Int ?? 0) }
            let lastLatency = last.flatMap { $0["latency_ms"] as? Double } ?? 0
            #expect(end <= 1_000 + lastLatency + 0.002, "\(id) ended at \(end) ms")
        }
        let summary = try #require(report.summary.sessions)
        // 40 arrivals over 1 s, one turn at a time of ≥ 40 ms: at most ~25 turns fit, so sessions time out.
        #expect(summary.started == sessions.count)
        #expect(sessions.count >= 30)
        #expect(report.summary.requests.total <= 26)
        #expect((summary.outcomes["timeout"] ?? 0) > 10)
        let turns = sessions.reduce(0) { $0 + ($1["turns_done"] as? Int ?? 0) }
        #expect(turns == report.summary.requests.total)
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var status: Int
        var onError: String
        var retry: String
        var outcome: String
        var attempts: Int
        var testDescription: String { "\(status) with on_error: \(onError) → \(outcome)" }
    }

    @Test("a failed turn ends its session: no later turn is sent and the outcome is recorded", arguments: [
        FailureCase(status: 500, onError: "abort_session", retry: "", outcome: "aborted_error", attempts: 1),
        FailureCase(status: 429, onError: "abort_session", retry: "", outcome: "aborted_429", attempts: 1),
        FailureCase(status: 503, onError: "retry", retry: "retry: { max_attempts: 3, base: 2ms, cap: 4ms }",
                    outcome: "aborted_error", attempts: 3),
    ])
    func failedTurnAbortsTheSession(_ failure: FailureCase) async throws {
        let scenario = try TestScenario("""
            version: 1
            name: abort
            sessions: { turns: { mean: 4 }, on_error: \(failure.onError) }
            load: { users: 2, requests: 12 }
            \(failure.retry)
            mock: { latency: 1ms, faults: { status_rates: { \(failure.status): 1.0 } } }
            """)
        defer { scenario.cleanup() }
        let report = try await Runner.run(scenario.options())
        let sessions = try Self.lines(scenario.read("sessions.jsonl"))
        #expect(sessions.count == 12)
        for session in sessions {
            #expect(session["outcome"] as? String == failure.outcome)
            #expect(session["turns_planned"] as? Int == 4)
            #expect(session["turns_done"] as? Int == 1)
            #expect(session["turns_failed"] as? Int == 1)
            #expect(session["errors"] as? Int == failure.attempts)
            #expect(session["slo_met"] as? Bool == false)
        }
        let log = try scenario.requestLog()
        #expect(log.count == 12)
        #expect(log.allSatisfy { $0["turn"] as? Int == 1 && $0["status"] as? Int == failure.status })
        #expect(log.allSatisfy { ($0["attempts"] as? Int ?? 1) == failure.attempts })
        let summary = try #require(report.summary.sessions)
        #expect(summary.outcomes[failure.outcome] == 12)
        #expect(summary.goodput == 0)
        #expect(summary.byTurn.first?.turns == 0)  // no successful turn
    }
}
