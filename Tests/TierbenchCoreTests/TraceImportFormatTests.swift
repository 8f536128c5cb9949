import Testing
@testable import TierbenchCore

/// Imports `fixture` (under Fixtures/traces) as `format`, and checks the written JSONL replays through `TraceParser`.
private func importFixture(_ fixture: String, _ format: TraceImportFormat) throws -> TraceImportResult {
    let text = try ScenarioTestSupport.fixtureText("traces/" + fixture)
    let result = try TraceImporter.parse(text, format: format, file: fixture)
    let replayed = try TraceParser.parse(result.jsonl, format: .jsonl, file: "out.jsonl")
    #expect(replayed == result.trace)
    return result
}

private func row(_ timestamp: Double, _ prompt: Int, _ max: Int?, line: Int, failure: String? = nil) -> TraceImportRow {
    TraceImportRow(record: TraceRecord(timestamp: timestamp, promptTokens: prompt, maxTokens: max), line: line, failure: failure)
}

struct TraceImportAzureTests {
    @Test func azure2023SortsRelativeAndSkipsBadRow() throws {
        let result = try importFixture("azure-2023.csv", .azure)
        #expect(result.rows == [
            row(0, 374, 44, line: 2),
            row(0.41941, 879, nil, line: 4),
            row(4.314579, 396, 109, line: 3),
            row(5.31941, 1500, 2048, line: 6),
        ])
        #expect(result.problems == [TraceImportProblem(line: 5, message: "ContextTokens 'not-a-number' is not a number")])
        #expect(result.failedCount == 0)
    }

    @Test func azure2024WithUTCOffset() throws {
        let result = try importFixture("azure-2024.csv", .azure)
        #expect(result.rows == [
            row(0, 2048, 28, line: 2),
            row(0.509945, 1107, 350, line: 3),
            row(2.24007, 34, 7, line: 5),
        ])
        #expect(result.problems == [TraceImportProblem(line: 4, message: "ContextTokens -5 is not a whole number between 1 and 1000000")])
    }

    @Test func writtenTraceIsExact() throws {
        let result = try importFixture("azure-2024.csv", .azure)
        #expect(result.jsonl == """
            {"timestamp": 0.0, "prompt_tokens": 2048, "max_tokens": 28}
            {"timestamp": 0.509945, "prompt_tokens": 1107, "max_tokens": 350}
            {"timestamp": 2.24007, "prompt_tokens": 34, "max_tokens": 7}

            """)
    }
}

struct TraceImportBurstGPTTests {
    @Test func failedRowsKeptBadRowsReported() throws {
        let result = try importFixture("burstgpt.csv", .burstgpt)
        #expect(result.rows == [
            row(0, 472, 18, line: 2),
            row(40, 1087, nil, line: 3, failure: "failed"),
            row(113, 417, 217, line: 4),
            row(156, 1020, 294, line: 7),
        ])
        #expect(result.problems.map(\.line) == [5, 6])
        #expect(result.problems.allSatisfy { $0.message.hasPrefix("Request tokens") })
        #expect(result.failedCount == 1)
    }
}

struct TraceImportMooncakeTests {
    @Test func millisecondsBecomeRelativeSeconds() throws {
        let result = try importFixture("mooncake.jsonl", .mooncake)
        #expect(result.rows == [
            row(0, 6755, 500, line: 1),
            row(0.5, 800, nil, line: 3),
            row(0.75, 7319, 490, line: 2),
            row(6.007, 1200, 32, line: 6),
        ])
        #expect(result.problems.map(\.line) == [4, 5])
        #expect(result.problems[0].message.hasPrefix("input_length"))
        #expect(result.problems[1].message.hasPrefix("not valid JSON"))
    }
}

struct TraceImportLiteLLMTests {
    @Test func spendLogsWithStatusAndZones() throws {
        let result = try importFixture("litellm-spend-logs.csv", .litellm)
        #expect(result.rows == [
            row(0, 812, 64, line: 2),
            row(0.5, 1500, 256, line: 3),
            row(0.88, 640, nil, line: 4, failure: "failure"),
            row(2.38, 90, 30, line: 6),
            row(3.13, 220, 48, line: 7),
        ])
        #expect(result.problems.map(\.line) == [5, 8])
        #expect(result.problems[0].message.hasPrefix("startTime 'yesterday' is not a datetime"))
        #expect(result.problems[1].message == "completion_tokens 2000000 is not a whole number between 0 and 1000000")
        #expect(result.failedCount == 1)
    }
}

struct TraceImportLangfuseTests {
    @Test func generationsOnlyErrorsKept() throws {
        let result = try importFixture("langfuse-observations.csv", .langfuse)
        #expect(result.rows == [
            row(0, 1200, 150, line: 2),
            row(1.5, 300, nil, line: 4, failure: "ERROR: rate limit exceeded"),
            row(2.25, 2400, 512, line: 5),
            row(5.125, 64, 16, line: 7),
        ])
        #expect(result.problems == [
            TraceImportProblem(line: 3, message: "type SPAN is not a GENERATION (not a model request)"),
            TraceImportProblem(line: 6, message: "usageDetails.input is not a number"),
        ])
    }
}
