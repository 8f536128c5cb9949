import Testing
@testable import TierbenchCore

/// The optional `status` of a trace row: written by the importers for failed requests, read back by `TraceParser`
/// (replay sends such rows like any other: `TraceReplayTests.rowsWithAStatusAreReplayed`).
struct TraceImportStatusTests {
    @Test func burstGPTFailuresAreWrittenWithTheirStatus() throws {
        let text = try ScenarioTestSupport.fixtureText("traces/burstgpt.csv")
        let result = try TraceImporter.parse(text, format: .burstgpt, file: "burstgpt.csv")
        #expect(result.jsonl == """
            {"timestamp": 0.0, "prompt_tokens": 472, "max_tokens": 18}
            {"timestamp": 40.0, "prompt_tokens": 1087, "status": "failed"}
            {"timestamp": 113.0, "prompt_tokens": 417, "max_tokens": 217}
            {"timestamp": 156.0, "prompt_tokens": 1020, "max_tokens": 294}

            """)
        let replayed = try TraceParser.parse(result.jsonl, format: .jsonl, file: "out.jsonl")
        #expect(replayed.records.map(\.status) == [nil, "failed", nil, nil])
    }

    @Test func langfuseAndLiteLLMStatusesSurviveTheRoundTrip() throws {
        let langfuse = try TraceImporter.parse(
            try ScenarioTestSupport.fixtureText("traces/langfuse-observations.csv"), format: .langfuse, file: "l.csv")
        #expect(langfuse.jsonl.contains(#"{"timestamp": 1.5, "prompt_tokens": 300, "status": "ERROR: rate limit exceeded"}"#))
        let litellm = try TraceImporter.parse(
            try ScenarioTestSupport.fixtureText("traces/litellm-spend-logs.csv"), format: .litellm, file: "s.csv")
        #expect(litellm.jsonl.contains(#"{"timestamp": 0.88, "prompt_tokens": 640, "status": "failure"}"#))
        for result in [langfuse, litellm] {
            let replayed = try TraceParser.parse(result.jsonl, format: .jsonl, file: "out.jsonl")
            #expect(replayed == result.trace)
            #expect(replayed.records.compactMap(\.status).count == result.failedCount)
        }
    }

    @Test func aStatusNeedingEscapesIsWrittenAsValidJSON() throws {
        let record = TraceRecord(timestamp: 0, promptTokens: 10, status: "ERROR: \"quota\"\nline two\\")
        let result = TraceImportResult(rows: [TraceImportRow(record: record, line: 2)], problems: [])
        #expect(result.jsonl == #"{"timestamp": 0.0, "prompt_tokens": 10, "status": "ERROR: \"quota\"\nline two\\"}"# + "\n")
        #expect(try TraceParser.parse(result.jsonl, format: .jsonl, file: "t.jsonl").records == [record])
    }

    @Test func theParserReadsStatusAsTextOrWholeNumber() throws {
        let jsonl = """
            {"timestamp": 0, "prompt_tokens": 5, "status": 500}
            {"timestamp": 1, "prompt_tokens": 5, "status": "failed"}
            {"timestamp": 2, "prompt_tokens": 5, "status": null}
            """
        let trace = try TraceParser.parse(jsonl, format: .jsonl, file: "t.jsonl")
        #expect(trace.records.map(\.status) == ["500", "failed", nil])
        let csv = "timestamp,prompt_tokens,status\n0,5,429\n1,5,\n"
        #expect(try TraceParser.parse(csv, format: .csv, file: "t.csv").records.map(\.status) == ["429", nil])
        do {
            _ = try TraceParser.parse(#"{"timestamp": 0, "prompt_tokens": 5, "status": 1.5}"#, format: .jsonl, file: "t.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1 && error.message.contains("status 1.5"))
        }
    }

    @Test func successSpellingsAndTwoHundredsReadAsSuccess() throws {
        let jsonl = """
            {"timestamp": 0, "prompt_tokens": 5, "status": " success "}
            {"timestamp": 1, "prompt_tokens": 5, "status": "OK"}
            {"timestamp": 2, "prompt_tokens": 5, "status": ""}
            {"timestamp": 3, "prompt_tokens": 5, "status": 200}
            {"timestamp": 4, "prompt_tokens": 5, "status": "299"}
            {"timestamp": 5, "prompt_tokens": 5, "status": "  failed\\t"}
            {"timestamp": 6, "prompt_tokens": 5, "status": 300}
            {"timestamp": 7, "prompt_tokens": 5, "status": "199"}
            {"timestamp": 8, "prompt_tokens": 5, "status": "2000"}
            {"timestamp": 9, "prompt_tokens": 5, "status": "okay"}
            """
        let trace = try TraceParser.parse(jsonl, format: .jsonl, file: "t.jsonl")
        #expect(trace.records.map(\.status) == [nil, nil, nil, nil, nil, "failed", "300", "199", "2000", "okay"])
        let csv = "timestamp,prompt_tokens,status\n0,5,Success\n1,5, 204 \n2,5,503\n"
        #expect(try TraceParser.parse(csv, format: .csv, file: "t.csv").records.map(\.status) == [nil, nil, "503"])
    }

    @Test func aVeryLongStatusIsCutTo200Characters() throws {
        let long = String(repeating: "x", count: 500)
        let cut = String(repeating: "x", count: 199) + "…"
        let parsed = try TraceParser.parse(
            #"{"timestamp": 0, "prompt_tokens": 5, "status": "\#(long)"}"#, format: .jsonl, file: "t.jsonl")
        #expect(parsed.records.map(\.status) == [cut])
        #expect(cut.count == TraceRecord.maxStatusLength)
        // Exactly 200 characters are kept whole.
        let exact = String(repeating: "y", count: 200)
        #expect(TraceRecord.normalizedStatus(exact) == exact)
        // At import too: a LiteLLM status of 500 characters is written cut, and `OK` counts as success.
        let csv = "startTime,prompt_tokens,status\n2024-06-01 12:00:00,10,\(long)\n2024-06-01 12:00:01,10,OK\n"
        let imported = try TraceImporter.parse(csv, format: .litellm, file: "s.csv")
        #expect(imported.trace.records.map(\.status) == [cut, nil])
        #expect(imported.failedCount == 1)
    }

    @Test func aHugeNumberStatusIsOutOfRange() throws {
        do {
            _ = try TraceParser.parse(#"{"timestamp": 0, "prompt_tokens": 5, "status": 1e15}"#, format: .jsonl, file: "t.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1 && error.message.contains("out of range"))
            #expect(!error.message.contains("not text or a whole number"))
        }
    }
}
