import Testing
@testable import TierbenchCore

struct TraceImportHostileTests {
    @Test func datetimeParsing() throws {
        let epoch = try TraceImportRows.datetime("1970-01-01 00:00:00", column: "t")
        #expect(epoch.whole == 0 && epoch.fraction == 0)
        let azure = try TraceImportRows.datetime("2023-11-16 18:15:46.6805900", column: "t")
        #expect(azure.whole == 1_700_158_546)
        #expect(abs(azure.fraction - 0.68059) < 1e-9)
        let zoned = try TraceImportRows.datetime("2024-05-10T02:00:00+02:00", column: "t")
        #expect(zoned == (try TraceImportRows.datetime("2024-05-10 00:00:00Z", column: "t")))
        for bad in ["", "2023-13-01 00:00:00", "2023-11-16", "2023-11-16 18:15:46.", "2023-11-16 18:15:46 junk", "9999999999-01-01 00:00:00"] {
            #expect(throws: TraceImportRows.RowProblem.self) { try TraceImportRows.datetime(bad, column: "t") }
        }
    }

    @Test func numbersAreRangeChecked() {
        for bad in ["nan", "inf", "-1", "1.5", "1e400", "2000000", ""] {
            #expect(throws: TraceImportRows.RowProblem.self) { try TraceImportRows.tokens(bad, column: "n", minimum: 1) }
        }
        for bad in [Double.nan, .infinity, 1e12, -1e12] {
            #expect(throws: TraceImportRows.RowProblem.self) { try TraceImportRows.instant(bad, scale: 1, column: "t") }
        }
        #expect(throws: TraceImportRows.RowProblem.self) { try TraceImportRows.instant(1e15, scale: 1000, column: "t") }
    }

    @Test func wholeFileErrorsNameFileLineAndFix() {
        #expect(throws: TraceImportError(file: "x.csv", line: 1, message: "the header has no ContextTokens, GeneratedTokens column for --format azure",
                                         hint: "the header must name TIMESTAMP, ContextTokens, GeneratedTokens; is this the right --format?")) {
            try TraceImporter.parse("TIMESTAMP,Request tokens\n", format: .azure, file: "x.csv")
        }
        #expect(throws: TraceImportError.self) { try TraceImporter.parse("", format: .burstgpt, file: "x.csv") }
        #expect(throws: TraceImportError.self) { try TraceImporter.parse("\"open\n", format: .litellm, file: "x.csv") }
        // Every row bad: no usable rows, and the first problem is named.
        do {
            _ = try TraceImporter.parse(#"{"timestamp": -1e300, "input_length": 5, "output_length": 1}"#, format: .mooncake, file: "m.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("no usable request rows (first problem: line 1: timestamp"))
        }
    }

    @Test func spanOverThirtyDaysIsRejected() {
        let text = "Timestamp,Request tokens,Response tokens\n0,10,1\n2600000,10,1\n"
        #expect(throws: TraceImportError.self) { try TraceImporter.parse(text, format: .burstgpt, file: "b.csv") }
    }

    @Test func equalTimestampsKeepFileOrder() throws {
        let text = "Timestamp,Request tokens,Response tokens\n7,30,1\n7,10,1\n7,20,1\n"
        let result = try TraceImporter.parse(text, format: .burstgpt, file: "b.csv")
        #expect(result.rows.map(\.record.promptTokens) == [30, 10, 20])
        #expect(result.rows.map(\.record.timestamp) == [0, 0, 0])
    }
}
