import Foundation
import Testing
import TierbenchCore
import TierbenchEngine

/// `TraceImport.run`: reads the input, writes a trace `load.trace` replays, counts rows; refuses bad input with exit 65.
struct TraceImportEngineTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "tierbench-trace-import-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesReplayableTraceAndCounts() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/burst.csv"
        try """
            Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
            10,ChatGPT,100,20,120,Conversation log
            12.5,ChatGPT,50,0,50,API log
            13,GPT-4,oops,1,1,API log

            """.write(toFile: input, atomically: true, encoding: .utf8)
        let output = dir + "/trace.jsonl"
        let outcome = try TraceImport.run(format: .burstgpt, input: input, output: output)
        #expect(outcome.imported == 2)
        #expect(outcome.failed == 1)
        #expect(outcome.problems.map(\.line) == [4])
        let written = try String(contentsOfFile: output, encoding: .utf8)
        let trace = try TraceParser.parse(written, format: .jsonl, file: output)
        #expect(trace.records == [TraceRecord(timestamp: 0, promptTokens: 100, maxTokens: 20), TraceRecord(timestamp: 2.5, promptTokens: 50, status: "failed")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["burst.csv", "trace.jsonl"])
    }

    @Test func invalidOrMissingInputIsExit65AndWritesNothing() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/wrong.csv"
        try "a,b\n1,2\n".write(toFile: input, atomically: true, encoding: .utf8)
        for path in [input, dir + "/missing.csv"] {
            do {
                _ = try TraceImport.run(format: .azure, input: path, output: dir + "/out.jsonl")
                Issue.record("expected an error")
            } catch {
                #expect(error.exitCode == 65)
                #expect(error.description.contains(path))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.jsonl"))
    }
}
