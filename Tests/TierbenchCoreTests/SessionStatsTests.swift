import Foundation
import Testing

@testable import TierbenchCore

@Suite struct SessionStatsTests {
    static let ms: UInt64 = 1_000_000

    static func record(_ number: Int, _ outcome: SessionOutcome, turns: Int, start: UInt64, end: UInt64, slo: Bool)
        -> SessionRecord
    {
        var record = SessionRecord(number: number, turnsPlanned: turns, start: start * ms)
        record.outcome = outcome
        record.turnsDone = turns
        record.end = end * ms
        record.sloMet = slo
        return record
    }

    @Test("figures from a written timeline: outcomes, goodput, durations, turns, TTFT and context by turn, active")
    func figuresFromATimeline() throws {
        // Two threads' worth of sessions, merged. Thread A: s1 (3 turns, 0–900 ms, met the SLO) and s2 (aborted at
        // turn 2). Thread B: s3 (1 turn, timeout) and s4 (2 turns, completed, missed the SLO).
        var a = SessionStats()
        var b = SessionStats()
        // Turn figures: (turn, ttft ms, prompt tokens, latency ms).
        let turnsA: [(Int, UInt64, Int, UInt64)] = [(1, 100, 50, 200), (2, 80, 150, 220), (3, 60, 260, 240), (1, 120, 40, 210)]
        let turnsB: [(Int, UInt64, Int, UInt64)] = [(1, 90, 45, 190), (1, 110, 55, 230), (2, 70, 170, 250)]
        for (turn, ttft, tokens, latency) in turnsA {
            a.recordTurn(turn, SessionTurnResult(succeeded: true, status: 200, latencyNanos: latency * Self.ms,
                                                 ttftNanos: ttft * Self.ms, promptTokens: tokens))
        }
        a.recordTurn(2, SessionTurnResult(succeeded: false, status: 500, latencyNanos: 30 * Self.ms, failedAttempts: 1))
        for (turn, ttft, tokens, latency) in turnsB {
            b.recordTurn(turn, SessionTurnResult(succeeded: true, status: 200, latencyNanos: latency * Self.ms,
                                                 ttftNanos: ttft * Self.ms, promptTokens: tokens))
        }
        a.recordSession(Self.record(1, .completed, turns: 3, start: 0, end: 900, slo: true))
        a.recordSession(Self.record(2, .abortedError, turns: 2, start: 100, end: 600, slo: false))
        b.recordSession(Self.record(3, .timeout, turns: 1, start: 1_500, end: 2_000, slo: false))
        b.recordSession(Self.record(4, .completed, turns: 2, start: 200, end: 1_400, slo: false))
        a.noteActive(1, at: 0, newlyStarted: 1)
        a.noteActive(2, at: 100 * Self.ms, newlyStarted: 1)
        a.noteActive(1, at: 600 * Self.ms)
        a.noteActive(0, at: 900 * Self.ms)
        b.noteActive(1, at: 200 * Self.ms, newlyStarted: 1)
        b.noteActive(0, at: 1_400 * Self.ms)
        b.noteActive(1, at: 1_500 * Self.ms, newlyStarted: 1)
        b.noteActive(0, at: 2_000 * Self.ms)
        var merged = a
        merged.merge(b)
        let summary = SessionSummary(merged, slo: SessionSLO(ttft: .seconds(1)))
        #expect(summary.started == 4 && summary.ended == 4)
        #expect(summary.outcomes == ["completed": 2, "aborted_error": 1, "aborted_429": 0, "timeout": 1])
        #expect(summary.goodput == 0.25)
        #expect(summary.sloTtftMs == 1_000 && summary.sloLatencyMs == nil)
        #expect(summary.durationMs.count == 4)
        #expect(summary.durationMs.mean == (900 + 500 + 500 + 1_200) / 4)
        #expect(summary.durationMs.max == 1_200)
        #expect(summary.turnsPerSession.mean == 2 && summary.turnsPerSession.max == 3 && summary.turnsPerSession.min == 1)
        #expect(summary.timePerTurnMs.count == 8)  // the failed turn's time counts too
        // By turn: turn 1 has 4 successful turns (TTFT 100, 120, 90, 110), turn 2 two, turn 3 one.
        #expect(summary.byTurn.map(\.turn) == [1, 2, 3])
        #expect(summary.byTurn.map(\.turns) == [4, 2, 1])
        #expect(summary.byTurn[0].ttftMs?.mean == 105)
        #expect(summary.byTurn[0].contextTokensMean == 47.5)
        #expect(summary.byTurn[1].contextTokensMean == 160)
        #expect(summary.byTurn[2].ttftMs?.max == 60)
        #expect(summary.contextTokensPerTurn.count == 7 && summary.contextTokensPerTurn.max == 260)
        // Active per second: second 0 peaks at 2 (A) + 1 (B) = 3; second 1 has B's second session.
        #expect(summary.activePerSecond == [3, 1, 0])
        #expect(summary.maxActive == 3)
        // In the run's time series with 2 s buckets (a longer run), bucket 0 covers seconds 0 and 1.
        #expect(merged.activePerBucket(bucketSeconds: 2, count: 2) == [3, 0])
        #expect(merged.activePerBucket(bucketSeconds: 1, count: 3) == [3, 1, 0])
        #expect(merged.activePerBucket(bucketSeconds: 1, count: 2) == [3, 1])  // later seconds fold into the last
    }

    @Test("sessions starting in the warmup and warmup turns are left out; turns past 64 share the overflow bucket")
    func warmupAndOverflow() {
        var stats = SessionStats(warmupNanos: 1_000 * Self.ms)
        stats.recordSession(Self.record(1, .completed, turns: 1, start: 500, end: 700, slo: true))
        stats.recordSession(Self.record(2, .completed, turns: 1, start: 1_000, end: 1_200, slo: true))
        var warm = SessionTurnResult(succeeded: true, status: 200, latencyNanos: Self.ms, ttftNanos: Self.ms, promptTokens: 5)
        warm.warmup = true
        stats.recordTurn(1, warm)
        for turn in [64, 65, 300] {
            stats.recordTurn(turn, SessionTurnResult(succeeded: true, status: 200, latencyNanos: Self.ms,
                                                     ttftNanos: Self.ms, promptTokens: turn))
        }
        // A session that ended before its first turn (an arrival cut by the run's end) counts 0 turns.
        var empty = Self.record(3, .timeout, turns: 0, start: 1_500, end: 1_500, slo: false)
        empty.turnsPlanned = 2
        stats.recordSession(empty)
        let summary = SessionSummary(stats, slo: SessionSLO())
        #expect(summary.ended == 2 && summary.goodput == 0.5)
        #expect(summary.turnsPerSession.min == 0 && summary.turnsPerSession.mean == 0.5)
        #expect(summary.byTurn.count == 65)
        #expect(summary.byTurn[0].turns == 0)
        #expect(summary.byTurn[63].turns == 1)
        #expect(summary.byTurn[64].turns == 2 && summary.byTurn[64].overflow == true)
        #expect(summary.byTurn[64].contextTokensMean == 182.5)
    }

    @Test("a turn meets the SLO when it succeeded within the TTFT and latency limits")
    func sloPerTurn() {
        let slo = SessionSLO(ttft: .milliseconds(200), latency: .seconds(1))
        #expect(slo.met(succeeded: true, ttftNanos: 200 * Self.ms, latencyNanos: 1_000 * Self.ms))
        #expect(!slo.met(succeeded: true, ttftNanos: 201 * Self.ms, latencyNanos: 500 * Self.ms))
        #expect(!slo.met(succeeded: true, ttftNanos: nil, latencyNanos: 1_001 * Self.ms))
        #expect(slo.met(succeeded: true, ttftNanos: nil, latencyNanos: 10 * Self.ms))
        #expect(!slo.met(succeeded: false, ttftNanos: 1, latencyNanos: 1))
    }
}

extension SessionStatsTests {
    @Test("a summary with a sessions block validates against docs/summary.schema.json")
    func sessionsBlockMatchesTheSchema() throws {
        let schemaURL = ScenarioTestSupport.packageRoot.appendingPathComponent("docs/summary.schema.json")
        let schema = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
        var recorder = MetricsRecorder()
        recorder.record(RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 200 * Self.ms, status: 200,
                                       usage: TokenUsage(prompt: 30, completion: 5), firstTokenAt: 50 * Self.ms,
                                       lastTokenAt: 190 * Self.ms, outputChunks: 5))
        var summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder), duration: .seconds(1),
            scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z", endedAt: "2026-11-22T21:00:01.000Z")
        var stats = SessionStats()
        for turn in [1, 2, 70] {
            stats.recordTurn(turn, SessionTurnResult(succeeded: true, status: 200, latencyNanos: 200 * Self.ms,
                                                     ttftNanos: turn == 2 ? nil : 50 * Self.ms, promptTokens: 30 * turn))
        }
        stats.recordSession(Self.record(1, .completed, turns: 3, start: 0, end: 900, slo: true))
        stats.noteActive(1, at: 0, newlyStarted: 1)
        stats.noteActive(0, at: 900 * Self.ms)
        summary.sessions = SessionSummary(stats, slo: SessionSLO(latency: .seconds(2)))
        let json = try JSONSerialization.jsonObject(with: summary.jsonData())
        let problems = SchemaChecker(root: schema).problems(json, schema, path: "$")
        #expect(problems.isEmpty, "\(problems)")
        // The block is really there and checked: a wrong type in it is caught.
        var broken = try #require(json as? [String: Any])
        var block = try #require(broken["sessions"] as? [String: Any])
        block["goodput"] = "all"
        broken["sessions"] = block
        #expect(SchemaChecker(root: schema).problems(broken, schema, path: "$").count == 1)
        // Decodes back.
        let decoded = try RunSummary.decode(summary.jsonData())
        #expect(decoded.sessions == summary.sessions)
    }
}

extension SessionStatsTests {
    @Test("the Markdown and HTML reports show the session figures of a sessions run, and nothing without")
    func reportsShowSessionFigures() throws {
        var stats = SessionStats()
        stats.recordSession(Self.record(1, .completed, turns: 3, start: 0, end: 900, slo: true))
        stats.recordSession(Self.record(2, .timeout, turns: 1, start: 100, end: 1_000, slo: false))
        let block = try JSONValue.parse(Substring(String(decoding: JSONEncoder().encode(SessionSummary(stats, slo: SessionSLO())), as: UTF8.self)))
        let with = JSONValue.object([.init("requests", .object([.init("total", .int(4))])), .init("sessions", block)])
        let without = JSONValue.object([.init("requests", .object([.init("total", .int(4))]))])
        let markdown = MarkdownReport.figures([with])
        #expect(markdown.contains("| Sessions ended | 2 |"))
        #expect(markdown.contains("| Session goodput | 50"))
        #expect(markdown.contains("| Turns per session (mean) | 2"))
        #expect(!MarkdownReport.figures([without]).contains("Session"))
        #expect(HTMLReport.keyFigures([with]).contains("data-metric=\"sessions.goodput\""))
        #expect(!HTMLReport.keyFigures([without]).contains("sessions."))
    }
}

extension SessionStatsTests {
    @Test("requests.jsonl lines carry session_id and turn only for a turn of a session")
    func requestLogSessionKeys() throws {
        var outcome = RequestOutcome(index: 4, intendedStart: 0, actualStart: 0, end: 5 * Self.ms, status: 200,
                                     usage: TokenUsage(prompt: 3, completion: 2))
        var plain: [UInt8] = []
        RequestLogLine.append(outcome, runStartUnixNanos: 0, to: &plain)
        #expect(!String(decoding: plain, as: UTF8.self).contains("session"))
        outcome.session = 1_234_567
        outcome.turn = 12
        var line: [UInt8] = []
        RequestLogLine.append(outcome, runStartUnixNanos: 0, to: &line)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.dropLast())) as? [String: Any])
        #expect(object["session_id"] as? String == "s-1234567")
        #expect(object["turn"] as? Int == 12)
        outcome.session = 3
        line.removeAll()
        RequestLogLine.append(outcome, runStartUnixNanos: 0, to: &line)
        #expect(String(decoding: line, as: UTF8.self).contains(#""session_id":"s-000003","turn":12"#))
    }
}

extension SessionStatsTests {
    @Test("the HTML report's session charts: active sessions over time, TTFT and context by turn")
    func sessionCharts() throws {
        var stats = SessionStats()
        for (turn, ttft, tokens) in [(1, 100, 40), (1, 120, 60), (2, 50, 150), (70, 30, 5_000)] as [(Int, UInt64, Int)] {
            stats.recordTurn(turn, SessionTurnResult(succeeded: true, status: 200, latencyNanos: 200 * Self.ms,
                                                     ttftNanos: ttft * Self.ms, promptTokens: tokens))
        }
        let block = try JSONValue.parse(Substring(String(decoding: JSONEncoder().encode(SessionSummary(stats, slo: SessionSLO())), as: UTF8.self)))
        let run = JSONValue.object([
            .init("time_series", .object([.init("bucket_s", .int(2)), .init("sessions_active", .array([.int(3), .int(1)]))])),
            .init("sessions", block),
        ])
        let charts = ReportCharts.sessions([run])
        #expect(charts.map(\.id) == ["chart-sessions-active", "chart-sessions-ttft", "chart-sessions-context"])
        #expect(charts[0].series.first?.points.map(\.x) == [0, 2])
        #expect(charts[0].series.first?.points.map(\.y) == [3, 1])
        // Turns 1 and 2 (turns 3…64 had none; the overflow bucket is left out): TTFT p50 and mean context.
        let ttft = try #require(charts[1].series.first?.points)
        #expect(ttft.count == 64)
        #expect(ttft[0].x == 1 && ttft[1].x == 2 && ttft[1].y == 50)
        #expect(ttft[2].y.isNaN)
        #expect(charts[2].series.first?.points.map(\.x) == [1, 2])
        #expect(charts[2].series.first?.points.map(\.y) == [50, 150])
        #expect(ReportCharts.sessions([.object([.init("time_series", .object([]))])]).isEmpty)
    }
}

extension SessionStatsTests {
    @Test("active per second: a level that falls holds through a quiet gap; a second starts at the level carried in")
    func activeLevelFallsAcrossAGap() {
        // Timeline: 5 sessions start at 0; 4 end at 0.9 s (1 left); nothing until 3.2 s, when the last one ends;
        // one starts at 5.0 s exactly and ends at 5.5 s.
        var stats = SessionStats()
        stats.noteActive(5, at: 0, newlyStarted: 5)
        stats.noteActive(1, at: 900 * Self.ms)
        stats.noteActive(0, at: 3_200 * Self.ms)
        // Seconds 0…3: second 0 peaks at 5; seconds 1 and 2 hold the 1 left; second 3 starts with it until 3.2 s.
        #expect(stats.activePerSecond(count: 4) == [5, 1, 1, 1])
        stats.noteActive(1, at: 5_000 * Self.ms, newlyStarted: 1)
        stats.noteActive(0, at: 5_500 * Self.ms)
        // Second 4 holds the 0 left at 3.2 s; second 5 starts on its first instant with the new session.
        #expect(stats.activeBySecond == [5, 1, 1, 1, 0, 1])
        // Second 6: the level carried in is 0 (ended at 5.5 s); starts at 6.1 s and 6.2 s make 1, then 2.
        stats.noteActive(1, at: 6_100 * Self.ms, newlyStarted: 1)
        stats.noteActive(2, at: 6_200 * Self.ms, newlyStarted: 1)
        stats.noteActive(1, at: 7_300 * Self.ms)
        // Second 7 starts with the 2 carried in from 6.2 s, though the first event in it leaves 1.
        #expect(stats.activeBySecond == [5, 1, 1, 1, 0, 1, 2, 2])
        // Merged with a thread whose series is shorter and ended at level 1: its level continues.
        var other = SessionStats()
        other.noteActive(1, at: 1_500 * Self.ms, newlyStarted: 1)
        var merged = stats
        merged.merge(other)
        #expect(merged.activeBySecond == [5, 2, 2, 2, 1, 2, 3, 3])
    }
}

extension SessionStats {
    /// The first `count` seconds of the series (test helper).
    func activePerSecond(count: Int) -> [Int] { Array(activeBySecond.prefix(count)) }
}
