import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// Trace replay split by record over shards, against the in-process mock.
@Suite("Sharded trace replay", .serialized)
struct ShardTraceTests {
    @Test("3 shards of a 31-row trace: record k on shard k mod 3, at its own offset from the common start, with its own row")
    func recordsStriped() async throws {
        var stamps: [Double] = []
        var time = 500.0
        for row in 0..<31 {
            time += Double(row % 4) * 0.015 + 0.005
            stamps.append(time)
        }
        let lines = stamps.enumerated().map { row, stamp in
            #"{"timestamp": \#(stamp), "prompt_tokens": \#(row + 10), "max_tokens": \#(row % 6 + 1)}"#
        }
        let expected = stamps.map { ($0 - stamps[0]) * 1_000 }  // ms after the start, speed 1
        let scenario = try TestScenario("""
            version: 1
            name: trace-shards
            request: { messages: [{ role: user, content: "{prompt}" }], max_tokens: 50 }
            prompts: { inline: ["unused"] }
            load: { trace: { file: trace.jsonl }, max_in_flight: 8 }
            mock: { latency: 1ms, output_tokens: 100 }
            """)
        defer { scenario.cleanup() }
        try lines.joined(separator: "\n").write(
            toFile: scenario.directory + "/trace.jsonl", atomically: true, encoding: .utf8)
        let start = ShardStartTime(unixNanos: Int64(Date().timeIntervalSince1970 * 1e9) + 400_000_000)
        var seen: [Int] = []
        for index in 0..<3 {
            var options = scenario.options()
            options.outputDirectory = scenario.directory + "/shard\(index)"
            options.shard = ShardAssignment(slice: try ShardSlice(index: index, count: 3), source: "flag")
            // Each shard waits for the same start; run one after another, so later shards start late (tolerated).
            options.startAt = start
            options.startTolerance = TimeSpan(nanoseconds: 60_000_000_000)
            let report = try await Runner.run(options)
            #expect(report.summary.requests.succeeded == [11, 10, 10][index])
            #expect(report.summary.shard?.workers == [3, 3, 2][index])
            let text = try String(contentsOfFile: report.directory + "/requests.jsonl", encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let row = try #require(object["i"] as? Int)
                #expect(row % 3 == index)
                seen.append(row)
                let send = object["t_ms"] as? Double ?? -1
                let intended = (object["response_time_ms"] as? Double).map {
                    send + (object["latency_ms"] as? Double ?? 0) - $0
                } ?? send
                // The origin is the common start time, so the intended time is the row's own offset.
                #expect(abs(intended - expected[row]) < 0.01, "row \(row) intended at \(intended) ms")
                #expect(object["completion_tokens"] as? Int == row % 6 + 1, "row \(row): its own max_tokens")
                #expect(object["prompt_tokens"] as? Int == row + 10 + 6, "row \(row): its own prompt")
            }
        }
        #expect(seen.sorted() == Array(0..<31))
    }
}
