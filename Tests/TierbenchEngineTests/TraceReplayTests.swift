import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// `load.trace` against the mock: sends at the trace's times (scaled by `speed`), with each row's prompt and limit.
@Suite("Trace replay", .serialized)
struct TraceReplayTests {
    @Test("rows are sent at (timestamp − first) / speed on the monotonic clock, with their own prompt and max_tokens")
    func replaysAtTraceTimes() async throws {
        // 40 rows at irregular times over 2 s of trace time, replayed at speed 2 (1 s of wall clock).
        var stamps: [Double] = []
        var time = 1_000.0
        for row in 0..<40 {
            time += Double(row % 5) * 0.02 + 0.01
            stamps.append(time)
        }
        let lines = stamps.enumerated().map { row, stamp in
            row % 2 == 0
                ? #"{"timestamp": \#(stamp), "prompt": "row \#(row)", "max_tokens": \#(row % 7 + 1)}"#
                : #"{"timestamp": \#(stamp), "prompt_tokens": \#(row + 10), "max_tokens": \#(row % 7 + 1)}"#
        }
        let expected = stamps.map { ($0 - stamps[0]) / 2 * 1_000 }  // ms after the first send, at speed 2
        let scenario = try TestScenario("""
            version: 1
            name: trace
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 50 }
            prompts: { inline: ["unused"] }
            load: { trace: { file: trace.jsonl, speed: 2 } }
            mock: { latency: 2ms, output_tokens: 100 }
            """)
        defer { scenario.cleanup() }
        try lines.joined(separator: "\n").write(
            toFile: scenario.directory + "/trace.jsonl", atomically: true, encoding: .utf8)
        let report = try await Runner.run(scenario.options())
        #expect(report.summary.requests.succeeded == 40)
        #expect(report.summary.generator.loadModel == "trace")
        let log = try scenario.requestLog().sorted { ($0["i"] as? Int ?? 0) < ($1["i"] as? Int ?? 0) }
        #expect(log.count == 40)
        // The engine's intended time of each row, recovered from the log: t_int = t_send + latency − response time
        // (response_time_ms is absent when the send was exactly on time).
        let intended = log.map { line -> Double in
            let send = line["t_ms"] as? Double ?? -1
            guard let response = line["response_time_ms"] as? Double else { return send }
            return send + (line["latency_ms"] as? Double ?? 0) - response
        }
        let origin = try #require(intended.first)
        for row in 0..<40 {
            // The schedule itself is exact (µs rounding in the log); actual sends may be late on a loaded machine,
            // which send lateness reports, so they get a generous bound only.
            #expect(abs((intended[row] - origin) - expected[row]) < 0.01, "row \(row) intended at \(intended[row] - origin) ms")
            // Never early: t_int is rebuilt from three values the log rounds to 1 µs, so it may be off by 2 µs.
            let late = (log[row]["t_ms"] as? Double ?? 0) - intended[row]
            #expect(late >= -0.002, "row \(row) sent \(late) ms late")
            #expect(late < 200, "row \(row) sent \(late) ms late")
            let completion = log[row]["completion_tokens"] as? Int
            #expect(completion == row % 7 + 1, "row \(row): max_tokens of the row")
            if row % 2 == 1 {
                // A synthetic prompt of n tokens is n tokens to the mock too: chat framing adds 3 + 3.
                #expect(log[row]["prompt_tokens"] as? Int == row + 10 + 6, "row \(row)")
            }
        }
        #expect(report.summary.sendLatenessMs.p50 < 5)
    }

    @Test("rows with a recorded failure status are replayed like any other: the mock receives every row")
    func rowsWithAStatusAreReplayed() async throws {
        let trace = """
            timestamp,prompt_tokens,max_tokens,status
            0,20,5,failed
            0.01,30,5,
            0.02,40,5,500
            0.03,50,5,ERROR: rate limit exceeded
            0.04,60,5,success
            """
        let scenario = try TestScenario("""
            version: 1
            name: trace-status
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 50 }
            prompts: { inline: ["unused"] }
            load: { trace: { file: trace.csv } }
            mock: { output_tokens: 100 }
            """)
        defer { scenario.cleanup() }
        try trace.write(toFile: scenario.directory + "/trace.csv", atomically: true, encoding: .utf8)
        let report = try await Runner.run(scenario.options())
        let mock = try #require(report.mockStats)
        #expect(mock.requests == 5)
        #expect(report.summary.requests.succeeded == 5)
        // Each row's own prompt reached the mock: (20 + 30 + 40 + 50 + 60) synthetic tokens + 6 of chat framing each.
        #expect(mock.promptTokens == 200 + 5 * 6)
    }

    @Test("a trace file with a bad row is refused with file and line")
    func badTraceRefused() async throws {
        let scenario = try TestScenario("""
            version: 1
            name: trace-bad
            prompts: { inline: ["unused"] }
            load: { trace: { file: trace.csv } }
            """)
        defer { scenario.cleanup() }
        try "timestamp,prompt\n0,a\n1\n".write(toFile: scenario.directory + "/trace.csv", atomically: true, encoding: .utf8)
        await #expect {
            try await Runner.run(scenario.options())
        } throws: { error in
            "\(error)".contains("trace.csv:3: load.trace.file: 1 fields, the header has 2")
        }
    }
}
