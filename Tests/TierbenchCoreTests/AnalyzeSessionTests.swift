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
        #expect(profile.contains("#   turns: { dist: lognormal, mean: 3.33, stddev: 1.97, max: 7 }"))
        _ = try ScenarioLoader.parse(text: profile, fileName: "workload-profile.yaml")
    }
}
