import Testing
@testable import TierbenchCore

/// Input kinds, bad rows, traces and imported traces.
struct AnalyzeInputTests {
    @Test func detectsEachKind() {
        #expect(AnalyzeInputKind.detect(AnalyzeTestSupport.requestLine(index: 0, sendMs: 1, latencyMs: 2)) == .requests)
        #expect(AnalyzeInputKind.detect(#"{"timestamp": 0.5, "prompt_tokens": 10}"#) == .trace)
        #expect(AnalyzeInputKind.detect(#"{"session_id":"s","outcome":"completed","turns_done":1}"#) == .sessions)
        #expect(AnalyzeInputKind.detect("timestamp,prompt_tokens") == nil)
        #expect(AnalyzeInputKind.detect(#"{"hello": 1}"#) == nil)
    }

    @Test func refusesSentAtOnlyAndRawPublishedTraces() throws {
        // A request row needs t_ms (its arrival); sent_at alone is not enough.
        #expect(AnalyzeInputKind.detect(#"{"sent_at":"2026-12-05T10:00:00Z","latency_ms":5,"status":200}"#) == nil)
        // Raw Mooncake rows have a timestamp in ms: not a trace until imported.
        let mooncake = #"{"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47]}"#
        #expect(AnalyzeInputKind.detect(mooncake) == nil)
        #expect(AnalyzeInputKind.detect(#"{"timestamp": 1.5, "input_length": 10, "prompt_tokens": 10}"#) == .trace)
        var analyzer = LogAnalyzer(options: AnalyzeOptions(prices: AnalyzeTestSupport.prices))
        analyzer.beginFile("mooncake_trace.jsonl")
        analyzer.feed(mooncake)
        let error = try #require(analyzer.fileError)
        #expect(error.hasPrefix("mooncake_trace.jsonl:1: a raw Mooncake/Bailian trace row"))
        #expect(error.contains("tierbench trace import --format mooncake"))
        analyzer.beginFile("x.jsonl")
        analyzer.feed(#"{"hello": 1}"#)
        #expect(analyzer.fileError?.contains("pass --input-format") == true)
    }

    @Test func badRowsCountedWithLineNumbers() throws {
        let good = AnalyzeTestSupport.requestLine(index: 0, sendMs: 0, latencyMs: 10)
        let lines = [
            good,                                                            // 1
            #"{"i":1,"t_ms":5,"latency_ms":3,"status":200"#,                  // 2 not closed
            "",                                                              // 3 blank: skipped, not bad
            #"{"i":2,"t_ms":5,"status":200}"#,                                // 4 no latency_ms
            #"{"i":3,"t_ms":5,"latency_ms":-3,"status":200}"#,                // 5 negative
            #"{"i":4,"t_ms":5,"latency_ms":3,"status":200,"prompt_tokens":1.5}"#, // 6 fraction
            #"{"i":5,"t_ms":5,"latency_ms":3,"status":"ok"}"#,                // 7 status text
            #"{"i":6,"t_ms":05,"latency_ms":3,"status":200}"#,                // 8 leading zero: not JSON
            AnalyzeTestSupport.requestLine(index: 7, sendMs: 20, latencyMs: 10), // 9
            "[1,2]",                                                         // 10 not an object
        ]
        let analysis = AnalyzeTestSupport.analyze([("requests.jsonl", lines)], listed: 4)
        #expect(analysis.badRows == 7)
        #expect(analysis.badRowsListed.map(\.line) == [2, 4, 5, 6])
        #expect(analysis.badRowsListed.map(\.file) == Array(repeating: "requests.jsonl", count: 4))
        #expect(analysis.badRowsListed[1].reason == "no latency_ms")
        #expect(analysis.badRowsListed[2].reason.hasPrefix("latency_ms -3.0 is outside"))
        #expect(analysis.files.first == LogAnalyzer.FileSummary(file: "requests.jsonl", kind: .requests, lines: 10, rows: 2, badRows: 7))
        #expect(analysis.requests?.rows == 2)
    }

    @Test func warmupAndFailuresFollowTheCleaningRules() throws {
        let lines = [
            AnalyzeTestSupport.requestLine(index: 0, sendMs: 0, latencyMs: 1_000, warmup: true),
            AnalyzeTestSupport.requestLine(index: 1, sendMs: 100, latencyMs: 50, usage: TokenUsage(prompt: 100, completion: 10), ttftMs: 20),
            AnalyzeTestSupport.requestLine(index: 2, sendMs: 200, latencyMs: 5_000, status: 429),
            AnalyzeTestSupport.requestLine(index: 3, sendMs: 300, latencyMs: 70, usage: TokenUsage(prompt: 300, completion: 30, cachedPrompt: 100)),
        ]
        let requests = try #require(AnalyzeTestSupport.analyze([("r.jsonl", lines)], model: "gpt-4o-mini").requests)
        #expect(requests.rows == 4)
        #expect(requests.warmup == 1)
        #expect(requests.measured == 3)
        #expect(requests.failed == 1)
        #expect(requests.arrivals.count == 4)  // warmup traffic still arrived
        #expect(requests.latencyMs?.count == 2)  // neither the warmup nor the 429
        #expect(requests.latencyMs?.max == 70)
        #expect(requests.ttftMs?.count == 1)
        #expect(requests.byStatus == ["200": 2, "429": 1])
        #expect(requests.byErrorClass == ["http_429": 1])
        let model = try #require(requests.byModel.first)
        #expect(model.model == "gpt-4o-mini")
        #expect(model.promptTokens == 400 && model.completionTokens == 40 && model.cachedTokens == 100)
        // (300 uncached × 0.15 + 100 cached × 0.075 + 40 × 0.60) / 1e6
        #expect(abs((model.costUSD ?? 0) - 0.0000765) < 1e-12)
    }

    @Test func traceRowsWithStatusAndModel() throws {
        let lines = [
            #"{"timestamp": 100.0, "prompt_tokens": 50, "max_tokens": 10}"#,
            #"{"timestamp": 100.5, "prompt": "abcdefgh", "max_tokens": 20, "status": 429, "model": "gpt-4o-mini"}"#,
            #"{"timestamp": 101.0, "prompt_tokens": 70, "status": "failed"}"#,
            #"{"timestamp": 99.0, "prompt_tokens": 70}"#,
        ]
        let analysis = AnalyzeTestSupport.analyze([("trace.jsonl", lines)])
        let requests = try #require(analysis.requests)
        #expect(analysis.files.first?.kind == .trace)
        #expect(requests.rows == 3)
        #expect(analysis.badRowsListed.map(\.line) == [4])
        #expect(requests.arrivals.spanS == 1)
        #expect(requests.arrivals.ratePerS == 2)
        #expect(requests.byErrorClass == ["http_429": 1, "failed": 1])
        #expect(requests.promptTokens?.sum == 122)  // 50 + 2 (8 bytes / 4) + 70
        #expect(requests.completionTokens?.sum == 30)
        #expect(Set(requests.byModel.map(\.model)) == ["unknown", "gpt-4o-mini"])
        #expect(requests.latencyMs == nil)  // traces without latency_ms have no latency figures
    }

    @Test func importedAzureTraceAnalysed() throws {
        let text = try ScenarioTestSupport.fixtureText("traces/azure-2023.csv")
        let imported = try TraceImporter.parse(text, format: .azure, file: "azure-2023.csv")
        let lines = imported.jsonl.split(separator: "\n").map(String.init)
        let analysis = AnalyzeTestSupport.analyze([("azure.jsonl", lines)])
        let requests = try #require(analysis.requests)
        // Rows at 0, 0.41941, 4.314579, 5.31941 s with 374, 879, 396, 1500 prompt tokens.
        #expect(requests.rows == 4)
        #expect(analysis.badRows == 0)
        #expect(requests.arrivals.spanS == 5.319)
        #expect(requests.arrivals.interArrivalMs.max == 3_895.169)
        #expect(requests.promptTokens?.sum == 3_149)
        #expect(requests.promptTokens?.max == 1_500)
        #expect(requests.completionTokens?.count == 3)  // the row with 0 generated tokens has no max_tokens
        #expect(requests.frequency.first?.counts == [2, 0, 0, 0, 1, 1])
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["azure.jsonl"]), fileName: "p.yaml")
        #expect(scenario.load.rate != nil || !scenario.load.stages.isEmpty)
    }

    @Test func filesOfOneKindAddUp() throws {
        let a = [AnalyzeTestSupport.requestLine(index: 0, sendMs: 0, latencyMs: 10),
                 AnalyzeTestSupport.requestLine(index: 1, sendMs: 1_000, latencyMs: 10)]
        let b = [AnalyzeTestSupport.requestLine(index: 0, sendMs: 0, latencyMs: 10),
                 AnalyzeTestSupport.requestLine(index: 1, sendMs: 500, latencyMs: 10),
                 AnalyzeTestSupport.requestLine(index: 2, sendMs: 1_000, latencyMs: 10)]
        let requests = try #require(AnalyzeTestSupport.analyze([("a", a), ("b", b)]).requests)
        #expect(requests.rows == 5)
        #expect(requests.arrivals.ratePerS == 3)  // (1 + 2) gaps over the overlaid 1 s
        #expect(requests.arrivals.spanS == 1)
        #expect(requests.frequency.first?.counts == [3, 2])
    }

    @Test func overlaidFilesRateAgreesWithFrequency() throws {
        // File a: 10/s evenly for 100 s; file b: 5/s evenly for 50 s, both from their origins. Overlaid: 15/s for
        // 50 s, then 10/s: 1,250 arrivals over 100 s, 12.5/s, which the frequency series and the profile show too.
        let a = (0..<1_000).map { AnalyzeTestSupport.requestLine(index: $0, sendMs: Double($0) * 100, latencyMs: 10) }
        let b = (0..<250).map { AnalyzeTestSupport.requestLine(index: $0, sendMs: Double($0) * 200, latencyMs: 10) }
        let analysis = AnalyzeTestSupport.analyze([("a", a), ("b", b)])
        let requests = try #require(analysis.requests)
        #expect(abs(requests.arrivals.spanS - 99.9) < 0.001)
        #expect(abs(requests.arrivals.ratePerS - 1_248.0 / 99.9) < 0.001)
        let seconds = try #require(requests.frequency.first { $0.resolutionS == 1 })
        #expect(seconds.counts.count == 100)
        let perSecond = Double(seconds.counts.reduce(0) { $0 + Int($1) }) / Double(seconds.counts.count)
        #expect(abs(requests.arrivals.ratePerS - perSecond) / perSecond < 0.01)
        // The profile replays about as many requests as the files hold.
        let scenario = try ScenarioLoader.parse(text: WorkloadProfile.yaml(analysis, sources: ["a", "b"]), fileName: "p.yaml")
        let stages = scenario.load.stages.compactMap { stage -> RateProfile.Stage? in
            guard case .rate(let target) = stage.target else { return nil }
            return RateProfile.Stage(duration: stage.duration.seconds, target: target)
        }
        let profile = RateProfile(startRate: scenario.load.rate ?? 0, stages: stages)
        let duration = scenario.load.duration?.seconds ?? stages.reduce(0) { $0 + $1.duration }
        #expect(abs(profile.cumulative(at: duration) - 1_250) < 20)
    }

    @Test func sessionAndTurnKeysOfRequestRows() throws {
        // requests.jsonl rows of a session run carry session_id and turn; by_turn counts measured rows per turn.
        let lines = [
            #"{"i":0,"t_ms":0,"latency_ms":5,"status":200,"prompts":1,"session_id":"s-000001","turn":1}"#,
            #"{"i":1,"t_ms":10,"latency_ms":5,"status":200,"prompts":1,"session_id":"s-000001","turn":2}"#,
            #"{"i":2,"t_ms":20,"latency_ms":5,"status":429,"prompts":1,"error":"http_429","session_id":"s-000002","turn":2}"#,
            #"{"i":3,"t_ms":30,"latency_ms":5,"status":200,"prompts":1,"session_id":"s-000002","turn":70}"#,
            #"{"i":4,"t_ms":40,"latency_ms":5,"status":200,"prompts":1,"warmup":true,"turn":1}"#,
        ]
        let requests = try #require(AnalyzeTestSupport.analyze([("r.jsonl", lines)]).requests)
        var expected = Array(repeating: 0, count: 65)
        expected[1] = 1
        expected[2] = 2
        expected[64] = 1  // turn 70 counts in the last entry
        #expect(requests.byTurn == expected)
        #expect(requests.failed == 1)
    }
}
