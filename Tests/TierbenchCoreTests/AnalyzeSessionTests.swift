import Foundation
import Testing
@testable import TierbenchCore

/// `analyze` of the hand-written session log Fixtures/analyze/sessions.jsonl (6 sessions, one blank line).
struct AnalyzeSessionTests {
    static func fixture() throws -> LogAnalysis {
        let text = try ScenarioTestSupport.fixtureText("analyze/sessions.jsonl")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return AnalyzeTestSupport.analyze([("sessions.jsonl", lines)])
    }

    @Test func detectedAsSessions() throws {
        let analysis = try Self.fixture()
        #expect(analysis.files.map(\.kind) == [.sessions])
        #expect(analysis.files.first?.rows == 6)
        #expect(analysis.badRows == 0)
        #expect(analysis.requests == nil)
    }

    @Test func exactTurnHistogram() throws {
        let sessions = try #require(try Self.fixture().sessions)
        // Turns done: 4, 2, 1, 7, 2, 4.
        #expect(sessions.turnsHistogram == [[1, 1], [2, 2], [4, 2], [7, 1]])
        #expect(sessions.turnsDone.count == 6)
        #expect(sessions.turnsDone.mean == 3.333)
        #expect(sessions.turnsDone.min == 1)
        #expect(sessions.turnsDone.max == 7)
        #expect(sessions.turnsDone.p50 == 2)  // rank ⌈0.5 × 6⌉ = 3rd of 1, 2, 2, 4, 4, 7
        #expect(sessions.turnsPlanned?.sum == 26)
    }

    @Test func exactDurationHistogram() throws {
        let sessions = try #require(try Self.fixture().sessions)
        // Durations 12.5 s, 3 s, 0.8 s, 65 s, 400 s, 9.999 s into [0,1) [1,2) [2,5) [5,10) [10,30) [30,60) [60,120)
        // [120,300) [300,600) [600,1800) [1800,3600) [3600,∞).
        #expect(sessions.durationHistogram.map(\.sessions) == [1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0])
        #expect(sessions.durationHistogram.first == LogAnalysis.DurationBin(lowerS: 0, upperS: 1, sessions: 1))
        #expect(sessions.durationHistogram.last == LogAnalysis.DurationBin(lowerS: 3_600, upperS: nil, sessions: 0))
        #expect(sessions.durationMs.count == 6)
        #expect(sessions.durationMs.min == 800)
        #expect(sessions.durationMs.max == 400_000)
        #expect(sessions.durationMs.mean == 81_883.167)  // 491,299 ms / 6
        #expect(abs(sessions.durationMs.p50 - 9_999) / 9_999 <= 0.001)
    }

    @Test func outcomesTokensCostGoodputThink() throws {
        let sessions = try #require(try Self.fixture().sessions)
        #expect(sessions.byOutcome == ["completed": 4, "aborted_429": 1, "timeout": 1])
        #expect(sessions.promptTokens == 6_590)
        #expect(sessions.completionTokens == 2_450)
        #expect(sessions.cachedTokens == 2_400)
        #expect(abs(sessions.costUSD - 0.002302) < 1e-9)
        #expect(sessions.errors == 2)
        #expect(sessions.goodput == 0.667)
        // Think per gap: 10000/3, 2000/1, 54000/6, 390000/1, 7500/3 (the 1-turn session has no gap).
        let think = try #require(sessions.thinkPerGapMs)
        #expect(think.count == 5)
        #expect(abs(think.mean - 81_366.667) < 0.001)
        // Session starts: 0, 1, 2, 3, 4 s and 65 s; failed = not completed (s-000003, s-000005 at 2 s and 4 s).
        let perSecond = try #require(sessions.starts.first { $0.resolutionS == 1 })
        #expect(perSecond.counts.prefix(5) == [1, 1, 1, 1, 1])
        #expect(perSecond.errors.prefix(5) == [0, 0, 1, 0, 1])
        #expect(perSecond.counts.reduce(0, +) == 6)
    }

    @Test func sessionShapeInProfileAndProfileLoads() throws {
        let analysis = try Self.fixture()
        let profile = WorkloadProfile.yaml(analysis, sources: ["sessions.jsonl"])
        // Turns planned 4, 2, 4, 7, 5, 4: mean 4.333, population stddev 1.491, max 7. Starts at 0, 1, 2, 3, 4 and
        // 65 s: (6 − 1) / 65 s = 0.0769231 sessions/s; without a request log the duration is 6 / rate = 78 s.
        #expect(profile.contains("  turns: { dist: lognormal, mean: 4.33, stddev: 1.49, max: 7 }\n"))
        #expect(profile.contains("load:\n  rate: 0.0769231\n  duration: 78s\n  arrival: poisson\n"))
        #expect(!profile.contains("prompts:") && !profile.contains("{prompt}"))
        let scenario = try ScenarioLoader.parse(text: profile, fileName: "workload-profile.yaml")
        let sessions = try #require(scenario.sessions)
        #expect(sessions.turns.kind == .lognormal && sessions.turns.mean == 4.33 && sessions.turns.max == 7)
        #expect(sessions.thinkTime.kind == .lognormal && sessions.thinkTime.mean > 0)
    }
    @Test func firstTurnPromptTokensBecomeUserTokens() throws {
        func row(_ i: Int, _ turn: Int, _ prompt: Int) -> String {
            #"{"i":\#(i),"t_ms":\#(i * 100),"latency_ms":5,"status":200,"prompts":1,"prompt_tokens":\#(prompt),"#
                + #""completion_tokens":5,"session_id":"s-\#(i)","turn":\#(turn)}"#
        }
        let text = try ScenarioTestSupport.fixtureText("analyze/sessions.jsonl")
        let sessionLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Turn 1 prompts 50 and 70 (mean 60, population stddev 10); the turn-2 prompt of 400 is not a first message.
        let analysis = AnalyzeTestSupport.analyze([
            ("requests.jsonl", [row(0, 1, 50), row(1, 2, 400), row(2, 1, 70)]), ("sessions.jsonl", sessionLines),
        ])
        let first = try #require(analysis.requests?.firstTurnPromptTokens)
        #expect(first.count == 2 && first.mean == 60 && first.stddev == 10)
        let profile = WorkloadProfile.yaml(analysis, sources: ["requests.jsonl", "sessions.jsonl"])
        #expect(profile.contains("  user_tokens: { mean: 60, stddev: 10 }\n"))
        let scenario = try ScenarioLoader.parse(text: profile, fileName: "workload-profile.yaml")
        #expect(scenario.sessions?.userTokens.mean == 60 && scenario.sessions?.userTokens.stddev == 10)
    }
}
